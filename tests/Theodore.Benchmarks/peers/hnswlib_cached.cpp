// hnswlib compiled for this CPU, under the protocol of ../../shared/bench/hnswlib_native.cpp (same files, M 16,
// efConstruction 200, build on N threads, one querying thread, recall@10), with two additions for 1M-scale runs:
//   - INDEX_CACHE: a directory; the built index is saved there and later runs load it instead of building again,
//     so query runs can alternate with Theodore's without a 400 s build each (the line then says load_s).
//   - PASSES: the query set is answered PASSES times per ef (1,000 queries at 1M last a third of a second).
// Build: g++ -O3 -march=native -std=c++17 -pthread hnswlib_cached.cpp -o /tmp/hnswlib_cached
// Usage: hnswlib_cached DATADIR NAME [M=16] [efConstruction=200] [threads=2] [passes=1] [index_cache_dir]
#include <hnswlib/hnswlib.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

static std::vector<float> load_vecs(const std::string& path, int& dim, size_t& rows) {
    std::ifstream in(path, std::ios::binary);
    if (!in) { std::fprintf(stderr, "cannot open %s\n", path.c_str()); std::exit(2); }
    in.read(reinterpret_cast<char*>(&dim), 4);
    in.seekg(0, std::ios::end);
    rows = static_cast<size_t>(in.tellg()) / (4 * (static_cast<size_t>(dim) + 1));
    std::vector<float> values(rows * dim);
    in.seekg(0);
    for (size_t r = 0; r < rows; r++) {
        int width;
        in.read(reinterpret_cast<char*>(&width), 4);
        in.read(reinterpret_cast<char*>(&values[r * dim]), 4 * static_cast<std::streamsize>(dim));
    }
    return values;
}

static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s DATADIR NAME [M] [efC] [threads] [passes] [index_cache_dir]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1], name = argv[2];
    const int m = argc > 3 ? std::atoi(argv[3]) : 16;
    const int efc = argc > 4 ? std::atoi(argv[4]) : 200;
    const int threads = argc > 5 ? std::atoi(argv[5]) : 2;
    const int passes = argc > 6 ? std::atoi(argv[6]) : 1;
    const std::string cache = argc > 7 ? argv[7] : "";

    std::ifstream meta(dir + "/" + name + ".json");
    const std::string json((std::istreambuf_iterator<char>(meta)), {});
    const bool angular = json.find("angular") != std::string::npos;
    int dim, qdim, gdim;
    size_t n, nq, ng;
    auto base = load_vecs(dir + "/" + name + ".base.fvecs", dim, n);
    auto queries = load_vecs(dir + "/" + name + ".query.fvecs", qdim, nq);
    auto truth_raw = load_vecs(dir + "/" + name + ".groundtruth.ivecs", gdim, ng);
    const int* truth = reinterpret_cast<const int*>(truth_raw.data());

    hnswlib::SpaceInterface<float>* space = angular
        ? static_cast<hnswlib::SpaceInterface<float>*>(new hnswlib::InnerProductSpace(dim))
        : static_cast<hnswlib::SpaceInterface<float>*>(new hnswlib::L2Space(dim));
    const std::string cached = cache.empty() ? "" : cache + "/" + name + "-m" + std::to_string(m) + "-efc" + std::to_string(efc) + ".hnswlib";
    hnswlib::HierarchicalNSW<float>* index;
    char timing[64];
    auto start = std::chrono::steady_clock::now();
    if (!cached.empty() && std::ifstream(cached).good()) {
        index = new hnswlib::HierarchicalNSW<float>(space, cached);
        std::snprintf(timing, sizeof timing, "load_s=%.1f", seconds_since(start));
    } else {
        index = new hnswlib::HierarchicalNSW<float>(space, n, m, efc, 1);
        index->addPoint(&base[0], 0);
        std::atomic<size_t> next{1};
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; t++) {
            pool.emplace_back([&] {
                for (size_t i; (i = next++) < n;) index->addPoint(&base[i * dim], i);
            });
        }
        for (auto& worker : pool) worker.join();
        std::snprintf(timing, sizeof timing, "build_s=%.1f", seconds_since(start));
        if (!cached.empty()) index->saveIndex(cached);
    }
    base.clear();
    base.shrink_to_fit();

    const int k = 10;
    // One untimed pass first, as Theodore's runner warms up: the first queries after a load fault pages in; then,
    // as Theodore's runner does, one untimed pass at each ef before its timed passes.
    index->setEf(k);
    for (size_t q = 0; q < nq; q++) index->searchKnn(&queries[q * dim], k);
    for (int ef : {10, 20, 40, 80, 160, 320}) {
        index->setEf(std::max(ef, k));
        for (size_t q = 0; q < nq; q++) index->searchKnn(&queries[q * dim], k);
        std::vector<std::vector<size_t>> found(nq);
        auto t = std::chrono::steady_clock::now();
        for (int pass = 0; pass < passes; pass++) {
            for (size_t q = 0; q < nq; q++) {
                auto result = index->searchKnn(&queries[q * dim], k);
                found[q].clear();
                while (!result.empty()) { found[q].push_back(result.top().second); result.pop(); }
            }
        }
        const double elapsed = seconds_since(t);
        double hits = 0;
        for (size_t q = 0; q < nq; q++) {
            std::set<int> expected(truth + q * gdim, truth + q * gdim + k);
            for (auto id : found[q]) hits += expected.count(static_cast<int>(id));
        }
        std::printf("%s hnswlib-native ef=%d %s qps=%.0f recall=%.4f\n", name.c_str(), ef, timing, nq * passes / elapsed, hits / (nq * k));
        std::fflush(stdout);
    }
    return 0;
}
