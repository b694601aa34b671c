#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "relkit/text_escape.h"

namespace relkit::cli {
namespace {

// The width of the terminal on stderr, as git finds it: the terminal's own
// size, else $COLUMNS, else 80.
size_t TerminalColumns() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return ws.ws_col;
  }
  size_t columns = 0;
  const char* env = std::getenv("COLUMNS");
  if (env != nullptr && absl::SimpleAtoi(env, &columns) && columns > 0) {
    return columns;
  }
  return 80;
}

}  // namespace

TerminalProgress::TerminalProgress(bool enabled)
    : enabled_(enabled && isatty(STDERR_FILENO)) {
  const char* term = std::getenv("TERM");
  dumb_ = term != nullptr && absl::string_view(term) == "dumb";
}

TerminalProgress::~TerminalProgress() { Clear(); }

void TerminalProgress::Show(absl::string_view text) {
  if (!enabled_) return;
  std::string line = absl::StrCat("relkit: ", TextEscape(text));
  // One column short of the width: a line that fills the last column wraps
  // on some terminals, and "\r" then returns to the wrong line. The text is
  // ASCII except for paths; never cut inside a UTF-8 sequence.
  size_t width = TerminalColumns() - 1;
  if (line.size() > width) {
    size_t cut = width;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    line.resize(cut);
  }
  if (shown_ == 0) {
    std::cerr << (dumb_ ? "\r" : "\r\033[K");
  } else {
    Erase();
  }
  std::cerr << line << std::flush;
  shown_ = line.size();
}

void TerminalProgress::Erase() {
  if (shown_ == 0) return;
  if (dumb_) {
    // A dumb terminal has no erase-line sequence: overwrite with spaces.
    std::cerr << '\r' << std::string(shown_, ' ') << '\r';
  } else {
    std::cerr << "\r\033[K";  // back to the start of the line, erase it
  }
  shown_ = 0;
}

void TerminalProgress::Print(absl::string_view line) {
  Clear();
  std::cerr << "relkit: " << TextEscape(line) << "\n";
}

void TerminalProgress::Clear() {
  if (shown_ == 0) return;
  Erase();
  std::cerr << std::flush;
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
