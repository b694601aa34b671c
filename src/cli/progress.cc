#include "cli/progress.h"

#include <unistd.h>

#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"

namespace relkit::cli {

TerminalProgress::TerminalProgress(bool enabled)
    : enabled_(enabled && isatty(STDERR_FILENO)) {}

TerminalProgress::~TerminalProgress() { Clear(); }

void TerminalProgress::Show(absl::string_view text) {
  if (!enabled_) return;
  // "\r\033[K": back to the start of the line and erase it.
  std::cerr << "\r\033[Krelkit: " << text << std::flush;
  shown_ = true;
}

void TerminalProgress::Print(absl::string_view line) {
  Clear();
  std::cerr << "relkit: " << line << "\n";
}

void TerminalProgress::Clear() {
  if (!shown_) return;
  std::cerr << "\r\033[K" << std::flush;
  shown_ = false;
}

std::function<void(AuditStage, size_t, size_t)>
TerminalProgress::AuditCallback() {
  if (!enabled_) return nullptr;
  return [this](AuditStage stage, size_t done, size_t total) {
    const char* what = stage == AuditStage::kBranchCommits ? "branch commits"
                       : stage == AuditStage::kMainCommits ? "main commits"
                                                           : "patch-ids";
    Show(total == 0 ? absl::StrCat(what, " ", done)
                    : absl::StrCat(what, " ", done, "/", total));
  };
}

std::function<void(const PageProgress&)> TerminalProgress::PageCallback() {
  if (!enabled_) return nullptr;
  return [this](const PageProgress& p) {
    std::string text = absl::StrCat("GET ", p.path, " page ", p.pages);
    if (p.total_pages != 0) absl::StrAppend(&text, "/", p.total_pages);
    if (p.not_modified != 0) {
      absl::StrAppend(&text, " (", p.not_modified, " not modified)");
    }
    Show(text);
  };
}

std::function<void(size_t)> TerminalProgress::HistoryCallback() {
  if (!enabled_) return nullptr;
  return [this](size_t commits) {
    Show(absl::StrCat("main history before the cut: ", commits, " commits"));
  };
}

}  // namespace relkit::cli
