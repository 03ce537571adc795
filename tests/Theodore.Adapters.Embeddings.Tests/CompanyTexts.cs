namespace Theodore.Adapters.Embeddings.Tests;

/// <summary>Fictional company descriptions: each query with a peer that does the same thing in other words, and one that does not.</summary>
internal static class CompanyTexts
{
    public static TheoryData<string, string, string> QueryPeerUnrelated => new()
    {
        {
            "Cloud accounting software for small businesses: invoicing, payroll and tax filing in one place.",
            "A bookkeeping platform that helps small companies send invoices, run payroll and prepare their taxes online.",
            "A family-owned winery producing organic red wines from hillside vineyards in Tuscany."
        },
        {
            "We build autonomous mobile robots that move pallets around warehouses and distribution centres.",
            "Maker of self-driving forklifts and warehouse automation systems for logistics companies.",
            "An online marketplace where independent artists sell handmade jewellery and prints."
        },
        {
            "A biotech company developing mRNA vaccines against infectious diseases, now in phase II trials.",
            "Clinical-stage biopharmaceutical firm working on messenger RNA immunisations for viral infections.",
            "A chain of boutique fitness studios offering spinning and yoga classes in three cities."
        },
        {
            "Solar farm developer that builds and operates photovoltaic plants and sells the power to utilities.",
            "Renewable energy producer running large solar parks under long-term power purchase agreements.",
            "A law firm specialising in employment disputes and workplace discrimination cases."
        },
        {
            "Fraud detection for online payments: machine learning scores every card transaction in real time.",
            "Our risk engine uses AI to flag fraudulent credit card purchases for e-commerce merchants as they happen.",
            "A craft brewery and taproom known for its seasonal IPAs and sour beers."
        },
    };

    public static string[] Sample { get; } =
    [
        "Cloud accounting software for small businesses.",
        "We build autonomous mobile robots for warehouses.",
        "A biotech company developing mRNA vaccines.",
        "Solar farm developer selling power to utilities.",
        "Fraud detection for online card payments.",
        "A family-owned winery in Tuscany.",
        "Boutique fitness studios with spinning and yoga.",
        "An employment law firm.",
        "A craft brewery with a taproom.",
        "Handmade jewellery marketplace.",
        "",
        "x",
    ];
}
