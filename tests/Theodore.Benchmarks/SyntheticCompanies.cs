using System.Globalization;
using System.Text;
using System.Text.Json;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;

namespace Theodore.Benchmarks;

/// <summary>One generated company, already in the normalized form the API stores (lower-case industry and tags).</summary>
internal sealed record SyntheticCompany(
    string Id, string Name, string Description, string Industry, string Size, int FoundedYear, string Country, string Website, string[] Tags, int Employees)
{
    /// <summary>The Core value the API builds from this company's JSON, so the raw model run embeds the very texts the import embeds.</summary>
    public Company ToCompany() => new()
    {
        Id = VectorId.Parse(Id),
        Name = Name,
        Description = Description,
        Industry = Industry,
        Size = CompanySizes.TryParse(Size, out var size) ? size : null,
        FoundedYear = FoundedYear,
        Country = Country,
        Website = new Uri(Website),
        Tags = Tags,
        CustomFields = new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["employees"] = MetadataValue.FromNumber(Employees) },
    };

    /// <summary>One NDJSON line as the import endpoint reads it.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("id", Id);
        json.WriteString("name", Name);
        json.WriteString("description", Description);
        json.WriteString("industry", Industry);
        json.WriteString("size", Size);
        json.WriteNumber("foundedYear", FoundedYear);
        json.WriteString("country", Country);
        json.WriteString("website", Website);
        json.WriteStartArray("tags");
        foreach (var tag in Tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        json.WriteStartObject("customFields");
        json.WriteNumber("employees", Employees);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

/// <summary>
/// Deterministic synthetic companies for the companies benchmark: 2-3 sentence descriptions assembled from templates
/// over per-industry vocabularies (what they make, for whom, how they stand out), with varied countries and cities,
/// sizes and matching headcounts, founding years and tags. The same seed gives the same companies.
/// </summary>
internal static class SyntheticCompanies
{
    private sealed record Industry(string Name, string[] Products, string[] Customers, string[] Edges, string[] Tags, string[] Suffixes);

    private static readonly Industry[] Industries =
    [
        new("software",
            ["cloud accounting software", "a payroll and HR platform", "invoicing tools", "a scheduling app", "project management software", "an inventory management system", "a customer support helpdesk", "expense tracking software"],
            ["small businesses", "restaurants", "accounting firms", "construction companies", "retail chains", "freelancers", "dental practices", "non-profits"],
            ["Its product integrates with the major banks and tax authorities.", "Customers can be up and running in an afternoon without consultants.", "The platform is sold as a monthly subscription with no setup fees.", "An open API lets customers connect their own tools."],
            ["saas", "smb", "accounting", "payroll", "hr", "invoicing", "scheduling", "b2b"],
            ["Software", "Cloud", "Apps", "Systems", "Labs"]),
        new("logistics",
            ["last-mile delivery services", "freight forwarding", "cold-chain transport", "warehouse management", "cross-border shipping", "a digital freight marketplace", "pallet distribution", "container trucking"],
            ["online retailers", "food producers", "pharmaceutical companies", "car manufacturers", "furniture makers", "supermarket chains"],
            ["Its fleet runs on electric vans in the city centres it serves.", "Shipments are tracked in real time from pickup to delivery.", "It operates bonded warehouses near the main ports.", "Route planning software keeps empty runs below five percent."],
            ["logistics", "freight", "delivery", "warehousing", "shipping", "supply-chain", "transport"],
            ["Logistics", "Freight", "Transport", "Cargo", "Express"]),
        new("robotics",
            ["autonomous mobile robots", "robotic arms for assembly lines", "warehouse picking robots", "inspection drones", "agricultural harvesting robots", "cleaning robots", "collaborative robots"],
            ["warehouses", "car plants", "electronics factories", "farms", "hospitals", "airports", "distribution centres"],
            ["Its robots learn new tasks from a few demonstrations.", "Customers lease the machines per hour of work instead of buying them.", "Its vision system handles parts it has never seen before.", "The robots work safely next to people without cages."],
            ["robotics", "automation", "ai", "hardware", "manufacturing", "computer-vision"],
            ["Robotics", "Automation", "Machines", "Dynamics", "Motion"]),
        new("biotech",
            ["mRNA vaccines", "antibody therapies for cancer", "gene therapies for rare diseases", "diagnostic tests for infections", "cell therapies", "enzymes for industrial processes", "microbiome treatments"],
            ["hospitals", "patients with rare diseases", "pharmaceutical partners", "public health agencies", "clinical laboratories"],
            ["Its lead candidate is in phase II clinical trials.", "It licenses its platform to larger pharmaceutical companies.", "The company spun out of a university research group.", "It runs its own manufacturing plant for clinical batches."],
            ["biotech", "pharma", "life-sciences", "clinical-trials", "healthcare", "research"],
            ["Bio", "Therapeutics", "Genomics", "Pharma", "Biosciences"]),
        new("renewable energy",
            ["solar farms", "onshore wind parks", "rooftop solar installations", "battery storage systems", "heat pumps", "green hydrogen electrolysers", "biogas plants"],
            ["utilities", "homeowners", "industrial sites", "municipalities", "farmers", "data centres"],
            ["It sells the power under long-term purchase agreements.", "Installations are financed so customers pay nothing upfront.", "Its plants run remote monitoring around the clock.", "It recycles old panels and batteries at the end of their life."],
            ["energy", "solar", "wind", "cleantech", "storage", "sustainability", "climate"],
            ["Energy", "Power", "Solar", "Renewables", "Grid"]),
        new("fintech",
            ["payment fraud detection", "a mobile banking app", "business credit cards", "buy-now-pay-later financing", "cross-border payments", "a robo-advisor for investing", "open banking APIs"],
            ["online merchants", "young professionals", "startups", "importers and exporters", "retail investors", "banks"],
            ["Machine learning scores every transaction in milliseconds.", "It holds a full banking licence in the European Union.", "Fees are flat and shown before every transfer.", "Its API is used by hundreds of other fintech companies."],
            ["fintech", "payments", "banking", "fraud", "lending", "api", "b2c"],
            ["Pay", "Capital", "Finance", "Bank", "Money"]),
        new("food and beverage",
            ["organic wines", "craft beers", "plant-based dairy alternatives", "artisan chocolate", "specialty coffee", "frozen ready meals", "fermented hot sauces", "sourdough bread"],
            ["supermarkets", "restaurants and bars", "delicatessens", "coffee shops", "online shoppers", "hotels"],
            ["All ingredients come from farms within a hundred kilometres.", "It has won several international tasting awards.", "The family has run the business for three generations.", "Its products are sold in more than two thousand shops."],
            ["food", "beverage", "organic", "retail", "consumer", "family-owned", "export"],
            ["Foods", "Brewing", "Kitchen", "Vineyards", "Roasters"]),
        new("healthcare",
            ["telemedicine consultations", "home care services", "physiotherapy clinics", "a patient scheduling system", "remote heart monitoring", "dental clinics", "mental health counselling"],
            ["elderly patients", "health insurers", "employers", "rural communities", "hospitals", "families"],
            ["Doctors are available by video around the clock.", "Its clinicians are all licensed in the countries it serves.", "Insurers reimburse most of its services.", "Waiting times are under a week for a first appointment."],
            ["healthcare", "telehealth", "clinics", "care", "wellbeing", "medtech"],
            ["Health", "Care", "Clinics", "Medical", "Wellness"]),
        new("education",
            ["online language courses", "coding bootcamps", "tutoring for school pupils", "a learning management system", "vocational training", "university admissions coaching", "corporate leadership training"],
            ["adult learners", "schools", "universities", "employers", "parents", "career changers"],
            ["Most graduates find a job within six months.", "Lessons are taught live by certified teachers.", "Its courses are accredited by national education authorities.", "The platform adapts exercises to each learner's level."],
            ["edtech", "education", "training", "e-learning", "languages", "skills"],
            ["Academy", "Learning", "School", "Education", "Tutors"]),
        new("construction",
            ["prefabricated timber houses", "commercial building projects", "bridge and road works", "renovation of historic buildings", "modular office buildings", "energy-efficient retrofits", "scaffolding rental"],
            ["property developers", "municipalities", "homeowners", "housing associations", "industrial clients"],
            ["Its projects are delivered on time and within budget.", "It builds to passive house standards.", "Components are made in its own factory and assembled on site in days.", "It employs its own carpenters, electricians and plumbers."],
            ["construction", "building", "real-estate", "timber", "infrastructure", "renovation"],
            ["Construction", "Builders", "Bau", "Structures", "Homes"]),
        new("retail",
            ["handmade jewellery", "second-hand designer clothing", "outdoor gear", "children's toys", "home furniture", "consumer electronics", "sports shoes", "cosmetics made from natural ingredients"],
            ["online shoppers", "young families", "hikers and climbers", "gift buyers", "fashion-conscious customers"],
            ["It sells through its own web shop and a handful of flagship stores.", "Every item can be returned free of charge for a month.", "Its products are designed in-house and made by small workshops.", "A repair service keeps products in use for longer."],
            ["retail", "e-commerce", "fashion", "consumer", "d2c", "marketplace"],
            ["Store", "Goods", "Shop", "Outfitters", "Collective"]),
        new("cybersecurity",
            ["endpoint protection software", "penetration testing services", "a security operations centre", "identity and access management", "email phishing protection", "cloud security posture management"],
            ["banks", "hospitals", "government agencies", "mid-sized companies", "software vendors"],
            ["Its analysts respond to incidents within fifteen minutes.", "The software is certified under ISO 27001.", "It finds misconfigurations before attackers do.", "Its researchers have disclosed dozens of vulnerabilities."],
            ["cybersecurity", "security", "infosec", "compliance", "identity", "saas"],
            ["Security", "Shield", "Defense", "Guard", "Sec"]),
        new("agriculture",
            ["precision farming sensors", "vertical farms for salad greens", "organic fertilisers", "crop spraying drones", "greenhouse tomatoes", "dairy farming equipment", "seed breeding"],
            ["farmers", "supermarkets", "agricultural cooperatives", "vineyards", "food processors"],
            ["Its sensors cut water use by a third.", "It grows produce year-round without pesticides.", "Farmers see their soil data on a phone app.", "It works with more than five hundred family farms."],
            ["agriculture", "agtech", "farming", "food", "sustainability", "iot"],
            ["Farms", "Agro", "Harvest", "Fields", "Growers"]),
        new("legal services",
            ["employment law advice", "corporate law and mergers", "intellectual property protection", "immigration law services", "contract review software", "debt collection"],
            ["employers", "startups", "families", "inventors", "multinational companies"],
            ["Its lawyers speak more than ten languages.", "Fixed fees are agreed before any work starts.", "It has represented clients before the highest courts.", "Routine contracts are reviewed by software and checked by a lawyer."],
            ["legal", "law", "legaltech", "compliance", "advisory", "b2b"],
            ["Legal", "Law", "Partners", "Advocates", "Counsel"]),
        new("travel and hospitality",
            ["boutique hotels", "guided hiking tours", "a holiday rental platform", "business travel management", "campsites and glamping", "river cruises", "ski schools"],
            ["families", "business travellers", "adventure seekers", "tour operators", "retired couples"],
            ["Guests rate its stays at 4.8 out of 5 on average.", "Its guides are all trained in first aid and local history.", "It offsets the carbon of every trip it sells.", "Bookings can be changed for free until a week before arrival."],
            ["travel", "hospitality", "tourism", "hotels", "leisure", "b2c"],
            ["Travel", "Hotels", "Tours", "Journeys", "Resorts"]),
        new("media and marketing",
            ["video production", "a podcast network", "influencer marketing campaigns", "search engine optimisation", "marketing automation software", "local newspapers", "brand design"],
            ["consumer brands", "startups", "publishers", "local businesses", "advertisers"],
            ["Its campaigns are measured on sales, not clicks.", "It reaches several million listeners every month.", "The studio has won awards for its documentaries.", "It runs its own panel of consumers for fast surveys."],
            ["media", "marketing", "advertising", "content", "creative", "adtech"],
            ["Media", "Studios", "Creative", "Digital", "Agency"]),
        new("manufacturing",
            ["precision metal parts", "injection-moulded plastics", "industrial pumps", "electric motors", "packaging machines", "3D-printed components", "textile machinery"],
            ["car manufacturers", "aerospace suppliers", "medical device makers", "food processors", "machine builders"],
            ["Its factory runs three shifts with largely automated lines.", "Parts are made to tolerances of a few microns.", "It exports most of its output to Asia and North America.", "It holds patents on its sealing technology."],
            ["manufacturing", "industrial", "engineering", "machinery", "b2b", "export"],
            ["Industries", "Engineering", "Works", "Manufacturing", "Precision"]),
        new("real estate",
            ["office space rentals", "student housing", "a property management platform", "coworking spaces", "residential property development", "property valuation software"],
            ["landlords", "students", "small companies", "investors", "tenants"],
            ["It manages more than ten thousand apartments.", "Leases are signed online in minutes.", "Its buildings are certified to high environmental standards.", "Tenants report repairs through an app and track them."],
            ["real-estate", "proptech", "housing", "property", "rentals"],
            ["Properties", "Estates", "Living", "Spaces", "Realty"]),
        new("automotive",
            ["electric vehicle charging stations", "car sharing", "used car marketplace", "vehicle fleet telematics", "electric scooters", "car repair workshops", "battery packs for electric buses"],
            ["commuters", "fleet operators", "car dealers", "cities", "delivery companies"],
            ["Its chargers fill a car to eighty percent in twenty minutes.", "Every vehicle is inspected on a hundred and fifty points.", "Cars are unlocked with a phone, with no keys to collect.", "It sells its data to insurers to price risk."],
            ["automotive", "mobility", "ev", "charging", "transport", "marketplace"],
            ["Motors", "Mobility", "Auto", "Drive", "Cars"]),
        new("gaming",
            ["mobile puzzle games", "multiplayer strategy games", "virtual reality experiences", "a game engine for indie studios", "esports tournaments", "educational games for children"],
            ["casual players", "indie developers", "competitive gamers", "schools", "streamers"],
            ["Its games have been downloaded tens of millions of times.", "It publishes a new title every year.", "Players can build and share their own levels.", "Its tournaments are streamed to a large audience."],
            ["gaming", "games", "entertainment", "vr", "esports", "b2c"],
            ["Games", "Studios", "Interactive", "Play", "Entertainment"]),
    ];

    private static readonly (string Code, string[] Cities)[] Countries =
    [
        ("DE", ["Berlin", "Munich", "Hamburg", "Leipzig", "Cologne"]),
        ("FR", ["Paris", "Lyon", "Bordeaux", "Toulouse", "Nantes"]),
        ("GB", ["London", "Manchester", "Edinburgh", "Bristol", "Leeds"]),
        ("US", ["Austin", "Boston", "Denver", "Seattle", "Chicago"]),
        ("NL", ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"]),
        ("ES", ["Madrid", "Barcelona", "Valencia", "Seville"]),
        ("IT", ["Milan", "Turin", "Bologna", "Florence", "Naples"]),
        ("SE", ["Stockholm", "Gothenburg", "Malmö"]),
        ("PL", ["Warsaw", "Kraków", "Wrocław", "Gdańsk"]),
        ("CH", ["Zurich", "Geneva", "Basel", "Lausanne"]),
        ("AT", ["Vienna", "Graz", "Linz", "Salzburg"]),
        ("DK", ["Copenhagen", "Aarhus", "Odense"]),
        ("IE", ["Dublin", "Cork", "Galway"]),
        ("PT", ["Lisbon", "Porto", "Braga"]),
        ("CA", ["Toronto", "Montreal", "Vancouver", "Calgary"]),
        ("JP", ["Tokyo", "Osaka", "Fukuoka"]),
        ("IN", ["Bangalore", "Pune", "Hyderabad", "Chennai"]),
        ("BR", ["São Paulo", "Curitiba", "Recife"]),
        ("AU", ["Sydney", "Melbourne", "Brisbane"]),
        ("FI", ["Helsinki", "Tampere", "Oulu"]),
    ];

    private static readonly (string Size, int Min, int Max, string Words)[] Sizes =
    [
        ("micro", 2, 9, "small"),
        ("small", 10, 49, "growing"),
        ("medium", 50, 249, "mid-sized"),
        ("large", 250, 999, "large"),
        ("enterprise", 1000, 40000, "global"),
    ];

    private static readonly string[] NameStarts = ["Nor", "Vel", "Ast", "Bri", "Cor", "Dal", "Eld", "Fen", "Gal", "Hal", "Ivo", "Jun", "Kel", "Lum", "Mar", "Nov", "Orn", "Pel", "Quin", "Ros", "Sol", "Tor", "Ulm", "Val", "Wes", "Xan", "Yar", "Zen"];

    private static readonly string[] NameEnds = ["a", "ex", "ion", "ora", "is", "um", "ara", "on", "ix", "ent", "ia", "o", "wind", "stone", "field", "bridge", "light", "wave"];

    private static readonly string[] Verbs = ["builds", "makes", "develops", "offers", "provides", "runs", "designs", "sells"];

    private static readonly string[] Kinds = ["company", "business", "firm", "start-up", "specialist", "provider"];

    private static readonly string[] Growth =
    [
        "has grown every year since", "doubled its revenue in the last three years", "is profitable and self-funded",
        "raised venture capital to expand abroad", "is owned by its employees", "is listed on the local stock exchange",
        "recently opened a second office", "works with customers in {n} countries",
    ];

    private static readonly string[] GenericTags = ["b2b", "b2c", "export", "family-owned", "venture-backed", "profitable", "remote-first", "certified-b-corp"];

    /// <summary>The first <paramref name="count"/> companies of the sequence for <paramref name="seed"/>.</summary>
    public static SyntheticCompany[] Generate(int count, int seed)
    {
#pragma warning disable CA5394 // benchmark data, not security
        var random = new Random(seed);
        var companies = new SyntheticCompany[count];
        for (var i = 0; i < count; i++)
        {
            var industry = Industries[random.Next(Industries.Length)];
            var (country, cities) = Countries[random.Next(Countries.Length)];
            var city = cities[random.Next(cities.Length)];
            var (size, min, max, sizeWord) = Sizes[Skewed(random, Sizes.Length)];
            var employees = random.Next(min, max + 1);
            var founded = 2025 - (int)Math.Min(120, Math.Floor(-Math.Log(1 - random.NextDouble()) * 18));
            var name = NameStarts[random.Next(NameStarts.Length)] + NameEnds[random.Next(NameEnds.Length)] + " " + industry.Suffixes[random.Next(industry.Suffixes.Length)];
            var product = Pick(random, industry.Products);
            var customer = Pick(random, industry.Customers);
            var verb = Pick(random, Verbs);

            var text = new StringBuilder(320);
            switch (random.Next(4))
            {
                case 0:
                    text.Append(CultureInfo.InvariantCulture, $"{name} {verb} {product} for {customer}.");
                    break;
                case 1:
                    text.Append(CultureInfo.InvariantCulture, $"{name} is a {sizeWord} {Pick(random, Kinds)} that {verb} {product} for {customer}.");
                    break;
                case 2:
                    text.Append(CultureInfo.InvariantCulture, $"Based in {city}, {name} {verb} {product} used by {customer}.");
                    break;
                default:
                    text.Append(CultureInfo.InvariantCulture, $"We {verb[..^1]} {product} for {customer}, from our base in {city}.");
                    break;
            }

            var markets = 1 + random.Next(size == "micro" ? 3 : 40);
            var growth = Pick(random, Growth).Replace("{n}", markets.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            switch (random.Next(3))
            {
                case 0:
                    text.Append(CultureInfo.InvariantCulture, $" Founded in {founded}, the company employs around {employees} people and {growth}{(growth.EndsWith("since", StringComparison.Ordinal) ? " then" : "")}.");
                    break;
                case 1:
                    text.Append(CultureInfo.InvariantCulture, $" The {sizeWord} team of {employees} serves customers in {markets} {(markets == 1 ? "country" : "countries")} and {growth}{(growth.EndsWith("since", StringComparison.Ordinal) ? $" {founded}" : "")}.");
                    break;
                default:
                    text.Append(CultureInfo.InvariantCulture, $" Since {founded} it has grown to {employees} employees in {city} and beyond.");
                    break;
            }

            if (random.NextDouble() < 0.6)
            {
                text.Append(' ').Append(Pick(random, industry.Edges));
            }

            var tags = new List<string>(5);
            var tagCount = 2 + random.Next(3);
            while (tags.Count < tagCount)
            {
                var tag = Pick(random, industry.Tags);
                if (!tags.Contains(tag, StringComparer.Ordinal))
                {
                    tags.Add(tag);
                }
            }

            if (random.NextDouble() < 0.4)
            {
                var extra = Pick(random, GenericTags);
                if (!tags.Contains(extra, StringComparer.Ordinal))
                {
                    tags.Add(extra);
                }
            }

            var id = "c" + i.ToString("D5", CultureInfo.InvariantCulture);
            var slug = name.Replace(" ", "-", StringComparison.Ordinal).ToLowerInvariant() + "-" + i.ToString(CultureInfo.InvariantCulture);
            companies[i] = new SyntheticCompany(id, name, text.ToString(), industry.Name, size, founded, country, $"https://{Ascii(slug)}.example", [.. tags], employees);
        }

        return companies;

        static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

        // More small companies than large ones, as in any register.
        static int Skewed(Random random, int bands) => Math.Min(bands - 1, (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 1.2));
#pragma warning restore CA5394
    }

    /// <summary>Free-text searches a user might type: by product, customer, place or trait, across the industries.</summary>
    public static IReadOnlyList<string> Queries { get; } =
    [
        "accounting software for small businesses",
        "payroll and HR tools for restaurants",
        "robots that pick orders in warehouses",
        "autonomous mobile robots for factories",
        "mRNA vaccine developer in clinical trials",
        "gene therapy for rare diseases",
        "solar park operator selling power to utilities",
        "heat pump installer for homeowners",
        "battery storage for the electricity grid",
        "fraud detection for online card payments",
        "mobile bank for young people",
        "cross-border payments for importers",
        "organic wine producer",
        "craft brewery with a taproom",
        "plant-based milk alternatives",
        "specialty coffee roaster supplying cafes",
        "video doctor consultations at night",
        "home care for elderly people",
        "online language school with live teachers",
        "coding bootcamp for career changers",
        "prefabricated wooden houses",
        "renovation of historic buildings",
        "second-hand designer fashion shop",
        "outdoor equipment for hikers",
        "handmade jewellery sold online",
        "penetration testing company",
        "phishing protection for email",
        "security operations centre for hospitals",
        "vertical farm growing salad without pesticides",
        "soil sensors for precision agriculture",
        "employment lawyers for startups",
        "patent and trademark protection",
        "boutique hotel chain",
        "guided hiking holidays in the mountains",
        "podcast network",
        "influencer marketing agency for consumer brands",
        "precision machined metal parts for aerospace",
        "packaging machines for food producers",
        "student housing provider",
        "coworking spaces for small teams",
        "fast chargers for electric cars",
        "car sharing app without keys",
        "mobile puzzle game studio",
        "virtual reality games",
        "cold chain transport for pharmaceuticals",
        "last-mile delivery with electric vans",
        "a family-owned business exporting to Asia",
        "venture-backed company expanding abroad",
        "German software company with an open API",
        "company in Lisbon serving tourists",
    ];

    private static string Ascii(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : 'x');
        }

        return text.ToString();
    }
}
