// A one-line progress display on stderr for long walks and GitHub paging:
// shown only when stderr is a terminal and the output is not --json, and
// cleared before any output, so pipes, logs and JSON never see it. The line
// is cut to the terminal's width; on TERM=dumb it is erased with spaces
// instead of an escape sequence.

#ifndef RELKIT_SRC_CLI_PROGRESS_H_
#define RELKIT_SRC_CLI_PROGRESS_H_

#include <cstddef>
#include <functional>

#include "absl/strings/string_view.h"
#include "relkit/branch_audit.h"
#include "relkit/github.h"

namespace relkit::cli {

class TerminalProgress {
 public:
  // Shows progress when `enabled` (not --json) and stderr is a terminal.
  explicit TerminalProgress(bool enabled);
  ~TerminalProgress();
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  bool enabled() const { return enabled_; }
  // Replaces the progress line with "relkit: <text>" (when enabled), cut to
  // the terminal's width.
  void Show(absl::string_view text);
  // Prints "relkit: <line>" on a line of its own on stderr (a --verbose log
  // line), whether enabled or not, above the progress line.
  void Print(absl::string_view line);
  // Removes the progress line; call before writing output.
  void Clear();

  // Callbacks for AuditOptions::progress (`relkit: main commits 4096/9999`),
  // GitHubClientOptions::page_progress (`relkit: GET repos/o/n/issues page
  // 3/10`) and MilestoneValidationOptions::progress (`relkit: main history
  // before the cut: 40960 commits`); empty when not enabled, so the library
  // does not even call them.
  std::function<void(AuditStage, size_t, size_t)> AuditCallback();
  std::function<void(const PageProgress&)> PageCallback();
  std::function<void(size_t)> HistoryCallback();

 private:
  // Erases the progress line, if one is shown, without flushing.
  void Erase();

  bool enabled_;
  bool dumb_ = false;  // TERM=dumb: no escape sequences
  size_t shown_ = 0;   // length of the line on the terminal; 0: none
};

}  // namespace relkit::cli

#endif  // RELKIT_SRC_CLI_PROGRESS_H_
