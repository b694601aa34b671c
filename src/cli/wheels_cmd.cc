// `relkit wheels check`: a wheel index against the build matrix.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "cli/cli.h"
#include "cli/json_writer.h"
#include "relkit/build_matrix.h"
#include "relkit/index_fetch.h"
#include "relkit/status.h"
#include "relkit/text_escape.h"
#include "relkit/version.h"
#include "relkit/wheel_index.h"

namespace relkit::cli {
namespace {

std::string Mb(uint64_t bytes) {
  return absl::StrFormat("%.1f MB", static_cast<double>(bytes) / 1e6);
}

struct CheckArgs {
  std::string index, version, channel = "release", package = "torch";
  std::string format = "auto", matrix;
  double threshold_mb = 850, pypi_limit_mib = 1000;
  bool rocm_threshold = false, json = false;
};

absl::Status RunCheck(const CheckArgs& a, int& exit_code) {
  RELKIT_ASSIGN_OR_RETURN(BuildChannel channel, ParseBuildChannel(a.channel));
  RELKIT_ASSIGN_OR_RETURN(WheelIndexFormat format,
                          ParseWheelIndexFormat(a.format));
  RELKIT_ASSIGN_OR_RETURN(Version version, Version::Parse(a.version));
  BuildMatrix matrix = BuildMatrix::Default();
  if (!a.matrix.empty()) {
    RELKIT_ASSIGN_OR_RETURN(matrix, BuildMatrix::Load(a.matrix));
  }
  RELKIT_ASSIGN_OR_RETURN(std::vector<ExpectedWheel> expected,
                          ExpectedWheels(matrix, channel));
  RELKIT_ASSIGN_OR_RETURN(std::string text, FetchIndexPage(a.index));
  RELKIT_ASSIGN_OR_RETURN(
      WheelIndex index,
      WheelIndex::Parse(text, {.format = format, .source = a.index}));
  WheelCheckOptions options;
  options.size_threshold_bytes = static_cast<uint64_t>(a.threshold_mb * 1e6);
  options.pypi_file_limit_bytes =
      static_cast<uint64_t>(a.pypi_limit_mib * 1024 * 1024);
  options.threshold_for_rocm = a.rocm_threshold;
  WheelCoverageReport r =
      CheckWheelCoverage(index, a.package, version, expected, options);

  if (a.json) {
    JsonOut out;
    out.w().StartObject();
    out.Field("package", r.package);
    out.Field("version", r.version.ToString());
    out.Field("channel", std::string(BuildChannelName(channel)));
    out.Field("index", a.index);
    out.Field("format", std::string(WheelIndexFormatName(index.format)));
    out.Field("expected", static_cast<uint64_t>(r.expected_count));
    out.Field("found", static_cast<uint64_t>(r.found_count));
    out.Key("missing");
    out.w().StartArray();
    for (const ExpectedWheel& e : r.missing) {
      out.w().StartObject();
      out.Field("os", std::string(BuildOsName(e.os)));
      out.Field("python_version", e.python_version);
      out.Field("accelerator", e.accelerator.ToString());
      out.Field("build_name", e.build_name);
      out.Field("pattern", ExpectedWheelPattern(r.package, r.version, e));
      out.w().EndObject();
    }
    out.w().EndArray();
    auto wheel_fields = [&](const IndexedWheel& w) {
      out.Field("filename", w.filename);
      out.Field("line", static_cast<uint64_t>(w.line));
      out.Key("size");
      if (w.size) {
        out.w().Uint64(*w.size);
      } else {
        out.w().Null();
      }
    };
    out.Key("unexpected");
    out.w().StartArray();
    for (const IndexedWheel& w : r.unexpected) {
      out.w().StartObject();
      wheel_fields(w);
      out.w().EndObject();
    }
    out.w().EndArray();
    out.Key("oversize");
    out.w().StartArray();
    for (const OversizeWheel& w : r.oversize) {
      out.w().StartObject();
      wheel_fields(w.wheel);
      out.Field("limit", w.limit);
      out.Field("limit_bytes", w.limit_bytes);
      out.w().EndObject();
    }
    out.w().EndArray();
    out.Key("inconsistent");
    out.w().StartArray();
    for (const InconsistentWheel& w : r.inconsistent) {
      out.w().StartObject();
      wheel_fields(w.wheel);
      out.Field("reason", w.reason);
      out.w().EndObject();
    }
    out.w().EndArray();
    out.Key("skipped");
    out.w().StartArray();
    for (const SkippedLink& s : index.skipped) {
      out.w().StartObject();
      out.Field("text", s.text);
      out.Field("location", s.location);
      out.Field("reason", s.reason);
      out.w().EndObject();
    }
    out.w().EndArray();
    out.Field("ok", r.ok());
    out.w().EndObject();
    out.Print();
  } else {
    std::cout << TextEscape(r.package) << " " << r.version.ToString() << " ("
              << BuildChannelName(channel) << "): " << r.expected_count
              << " wheels expected, " << r.found_count << " found in "
              << TextEscape(a.index) << " (" << index.wheels.size()
              << " wheels, " << index.skipped.size()
              << (index.skipped.size() == 1 ? " other link" : " other links")
              << " skipped)\n";
    if (!r.missing.empty()) {
      std::cout << "missing (" << r.missing.size() << "):\n";
      for (const ExpectedWheel& e : r.missing) {
        std::cout << "  "
                  << TextEscape(ExpectedWheelPattern(r.package, r.version, e))
                  << (e.build_name.empty()
                          ? ""
                          : "  [" + TextEscape(e.build_name) + "]")
                  << "\n";
      }
    }
    if (!r.unexpected.empty()) {
      std::cout << "unexpected (" << r.unexpected.size() << "):\n";
      for (const IndexedWheel& w : r.unexpected) {
        std::cout << "  " << TextEscape(w.filename) << "\n";
      }
    }
    if (!r.oversize.empty()) {
      std::cout << "over size (" << r.oversize.size() << "):\n";
      for (const OversizeWheel& w : r.oversize) {
        std::cout << "  " << TextEscape(w.wheel.filename) << "  "
                  << Mb(*w.wheel.size) << " > " << TextEscape(w.limit) << " "
                  << Mb(w.limit_bytes) << "\n";
      }
    }
    if (!r.inconsistent.empty()) {
      std::cout << "inconsistent (" << r.inconsistent.size() << "):\n";
      for (const InconsistentWheel& w : r.inconsistent) {
        std::cout << "  " << TextEscape(w.wheel.filename) << ": "
                  << TextEscape(w.reason) << "\n";
      }
    }
    std::cout << (r.ok() ? "ok\n" : "problems found\n");
  }
  exit_code = r.ok() ? kExitOk : kExitProblems;
  return absl::OkStatus();
}

}  // namespace

void RegisterWheelsCommands(CLI::App& app, Context& ctx) {
  CLI::App* wheels = app.add_subcommand(
      "wheels", "Wheel indexes: coverage, sizes and versions of a release");
  wheels->require_subcommand(1);
  auto args = std::make_shared<CheckArgs>();
  CLI::App* check = wheels->add_subcommand(
      "check", "Check a release's wheels in an index against the build matrix");
  check->footer(
      "The index is a PEP 503 HTML page, a PEP 691 JSON page or a listing of\n"
      "'<size> <filename>' lines (aws s3 ls output works). Exit 0 when every\n"
      "expected wheel is there and nothing is unexpected, over size or\n"
      "inconsistent; 1 otherwise; 2 for bad input. --index takes a file or an\n"
      "http(s) URL (fetched with TLS verification; proxies from the "
      "environment).");
  check
      ->add_option("--index", args->index,
                   "Index file or http(s) URL (HTML, JSON or size listing)")
      ->required();
  check->add_option("--version", args->version, "Release version, e.g. 2.4.0")
      ->required();
  check
      ->add_option("--channel", args->channel,
                   "Build matrix channel: nightly, test or release")
      ->capture_default_str();
  check->add_option("--package", args->package, "Distribution name")
      ->capture_default_str();
  check
      ->add_option("--format", args->format,
                   "Index format: auto, html, json or listing")
      ->capture_default_str();
  check->add_option("--matrix", args->matrix,
                    "Build matrix tables JSON (default: the embedded tables)");
  check
      ->add_option("--size-threshold-mb", args->threshold_mb,
                   "Size threshold for Linux wheels, MB (10^6 bytes)")
      ->capture_default_str();
  check
      ->add_option("--pypi-limit-mib", args->pypi_limit_mib,
                   "PyPI per-file limit, MiB")
      ->capture_default_str();
  check->add_flag("--threshold-rocm", args->rocm_threshold,
                  "Apply the size threshold to ROCm wheels too");
  check->add_flag("--json", args->json, "Print the report as JSON");
  check->callback([args, &ctx] {
    int code = kExitOk;
    absl::Status status = RunCheck(*args, code);
    ctx.exit_code = status.ok() ? code : ReportError(status);
  });
}

}  // namespace relkit::cli
