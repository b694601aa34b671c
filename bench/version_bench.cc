// Google Benchmark: PEP 440 parse, compare and sort over packaging's PyPI
// sample (bench/data/version_sample.txt, 1,305 real version strings).
//
//   cmake --preset bench && cmake --build --preset bench
//   build/bench/bench/version_bench
//
// Figures go in docs/performance.md.

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "relkit/version.h"

namespace {

const std::vector<std::string>& Sample() {
  static const std::vector<std::string>* sample = [] {
    auto* lines = new std::vector<std::string>;
    std::ifstream in(RELKIT_BENCH_DATA_DIR "/version_sample.txt");
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines->push_back(line);
    }
    return lines;
  }();
  return *sample;
}

std::vector<relkit::Version> ParsedSample() {
  std::vector<relkit::Version> out;
  for (const std::string& s : Sample()) {
    absl::StatusOr<relkit::Version> v = relkit::Version::Parse(s);
    if (v.ok()) out.push_back(*std::move(v));
  }
  return out;
}

void BM_Parse(benchmark::State& state) {
  const auto& sample = Sample();
  for (auto _ : state) {
    for (const std::string& s : sample) {
      benchmark::DoNotOptimize(relkit::Version::Parse(s));
    }
  }
  state.SetItemsProcessed(state.iterations() * sample.size());
}
BENCHMARK(BM_Parse);

void BM_ToString(benchmark::State& state) {
  std::vector<relkit::Version> versions = ParsedSample();
  for (auto _ : state) {
    for (const relkit::Version& v : versions) {
      benchmark::DoNotOptimize(v.ToString());
    }
  }
  state.SetItemsProcessed(state.iterations() * versions.size());
}
BENCHMARK(BM_ToString);

void BM_Compare(benchmark::State& state) {
  std::vector<relkit::Version> versions = ParsedSample();
  size_t n = versions.size();
  for (auto _ : state) {
    int less = 0;
    for (size_t i = 0; i + 1 < n; ++i) less += versions[i] < versions[i + 1];
    benchmark::DoNotOptimize(less);
  }
  state.SetItemsProcessed(state.iterations() * (n - 1));
}
BENCHMARK(BM_Compare);

void BM_SortParsed(benchmark::State& state) {
  std::vector<relkit::Version> versions = ParsedSample();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<relkit::Version> copy = versions;
    state.ResumeTiming();
    relkit::SortVersions(copy);
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetItemsProcessed(state.iterations() * versions.size());
}
BENCHMARK(BM_SortParsed);

void BM_ParseAndSortStrings(benchmark::State& state) {
  std::vector<absl::string_view> views(Sample().begin(), Sample().end());
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        relkit::SortVersionStrings(views, relkit::InvalidVersions::kSkip));
  }
  state.SetItemsProcessed(state.iterations() * views.size());
}
BENCHMARK(BM_ParseAndSortStrings);

}  // namespace

BENCHMARK_MAIN();
