#include "relkit/pins.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "relkit/status.h"

namespace relkit {
namespace {

// The 1-based line and column of byte `offset` of `text`.
std::string Position(absl::string_view text, size_t offset) {
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return absl::StrCat(line, ":", offset - line_start + 1);
}

std::string Describe(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return absl::StrCat("'", std::string(1, c), "'");
  return absl::StrFormat("byte 0x%02x", u);
}

absl::Status ErrorAt(absl::string_view source, absl::string_view text,
                     size_t offset, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ":", Position(text, offset), ": ", what));
}

// Returns the offset of the first non-whitespace byte at or after `from`, or
// npos.
size_t FirstNonSpace(absl::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(text[i]))) return i;
  }
  return absl::string_view::npos;
}

std::string Source(absl::string_view ref, absl::string_view path) {
  return absl::StrCat(ref, ":", path);
}

// The revisions tried, in order, for an upstream's default branch.
std::vector<std::string> DefaultBranchCandidates(const SubmoduleInfo& sub) {
  std::vector<std::string> out;
  if (sub.branch && !sub.branch->empty() && *sub.branch != ".") {
    out.push_back(absl::StrCat("origin/", *sub.branch));
    out.push_back(*sub.branch);
  }
  for (const char* r :
       {"origin/HEAD", "origin/main", "origin/master", "main", "master"}) {
    out.emplace_back(r);
  }
  return out;
}

}  // namespace

absl::StatusOr<ObjectId> ParseCommitPin(absl::string_view text,
                                        absl::string_view source) {
  if (FirstNonSpace(text, 0) == absl::string_view::npos) {
    return ErrorAt(source, text, 0,
                   "empty pin file (expected a 40-hex-digit commit sha)");
  }
  size_t n = 0;
  while (n < text.size() &&
         absl::ascii_isxdigit(static_cast<unsigned char>(text[n]))) {
    ++n;
  }
  if (n > 40) {
    return ErrorAt(source, text, 40,
                   "commit sha is longer than 40 hexadecimal digits");
  }
  if (n < 40) {
    if (n < text.size() &&
        !absl::ascii_isspace(static_cast<unsigned char>(text[n]))) {
      return ErrorAt(source, text, n,
                     absl::StrCat("unexpected ", Describe(text[n]),
                                  " (expected a hexadecimal digit of the "
                                  "commit sha)"));
    }
    return ErrorAt(
        source, text, 0,
        absl::StrCat("commit sha has ", n, " hexadecimal digits, expected 40"));
  }
  if (size_t extra = FirstNonSpace(text, 40);
      extra != absl::string_view::npos) {
    return ErrorAt(source, text, extra,
                   absl::StrCat("unexpected ", Describe(text[extra]),
                                " after the commit sha (one sha per file)"));
  }
  absl::StatusOr<ObjectId> id = ObjectId::Parse(text.substr(0, 40));
  if (!id.ok()) return ErrorAt(source, text, 0, id.status().message());
  return *id;
}

absl::StatusOr<Version> ParseVersionPin(absl::string_view text,
                                        absl::string_view source) {
  size_t start = FirstNonSpace(text, 0);
  if (start == absl::string_view::npos) {
    return ErrorAt(source, text, 0, "empty version file (expected a version)");
  }
  size_t line_end = text.find('\n', start);
  if (line_end == absl::string_view::npos) line_end = text.size();
  absl::string_view line =
      absl::StripTrailingAsciiWhitespace(text.substr(start, line_end - start));
  absl::StatusOr<Version> v = Version::Parse(line);
  if (!v.ok()) {
    return ErrorAt(source, text, start,
                   absl::StrCat("invalid version: ", v.status().message()));
  }
  if (size_t extra = FirstNonSpace(text, line_end);
      extra != absl::string_view::npos) {
    return ErrorAt(source, text, extra,
                   "unexpected text after the version (one version per "
                   "file)");
  }
  return *std::move(v);
}

absl::StatusOr<ObjectId> ReadCommitPin(const Repository& repo,
                                       absl::string_view ref,
                                       absl::string_view path) {
  RELKIT_ASSIGN_OR_RETURN(std::string text, repo.ReadFile(ref, path));
  return ParseCommitPin(text, Source(ref, path));
}

absl::StatusOr<Version> ReadVersionPin(const Repository& repo,
                                       absl::string_view ref,
                                       absl::string_view path) {
  RELKIT_ASSIGN_OR_RETURN(std::string text, repo.ReadFile(ref, path));
  return ParseVersionPin(text, Source(ref, path));
}

absl::StatusOr<TritonPin> ReadTritonPin(const Repository& repo,
                                        absl::string_view ref) {
  TritonPin pin;
  RELKIT_ASSIGN_OR_RETURN(pin.commit, ReadCommitPin(repo, ref, kTritonPinPath));
  absl::StatusOr<Version> v = ReadVersionPin(repo, ref, kTritonVersionPath);
  if (v.ok()) {
    pin.version = *std::move(v);
  } else if (!absl::IsNotFound(v.status())) {
    return v.status();
  }
  return pin;
}

absl::string_view SubmoduleStateName(SubmoduleState state) {
  switch (state) {
    case SubmoduleState::kOnDefaultBranch:
      return "on-default-branch";
    case SubmoduleState::kOffDefaultBranch:
      return "off-default-branch";
    case SubmoduleState::kNotInUpstream:
      return "not-in-upstream";
    case SubmoduleState::kNoGitlink:
      return "no-gitlink";
    case SubmoduleState::kUnchecked:
      return "unchecked";
  }
  return "unknown";
}

bool SubmoduleCheck::flagged() const {
  return state == SubmoduleState::kOffDefaultBranch ||
         state == SubmoduleState::kNotInUpstream ||
         state == SubmoduleState::kNoGitlink;
}

absl::StatusOr<std::vector<SubmoduleCheck>> CheckSubmodules(
    const Repository& repo, absl::string_view ref,
    const SubmoduleCheckOptions& options) {
  RELKIT_ASSIGN_OR_RETURN(std::vector<SubmoduleInfo> subs,
                          repo.Submodules(ref));
  for (const SubmoduleUpstream& u : options.upstreams) {
    bool known = false;
    for (const SubmoduleInfo& s : subs) known |= s.path == u.path;
    if (!known) {
      std::vector<std::string> paths;
      for (const SubmoduleInfo& s : subs) paths.push_back(s.path);
      return absl::InvalidArgumentError(absl::StrCat(
          "upstream given for \"", u.path, "\", which is not a submodule at ",
          ref, " (submodules: ",
          paths.empty() ? "none" : absl::StrJoin(paths, ", "), ")"));
    }
  }

  std::vector<SubmoduleCheck> out;
  for (SubmoduleInfo& sub : subs) {
    SubmoduleCheck check;
    check.submodule = std::move(sub);
    const SubmoduleInfo& s = check.submodule;
    if (!s.commit) {
      check.state = SubmoduleState::kNoGitlink;
      check.detail = absl::StrCat(".gitmodules names \"", s.path, "\" but ",
                                  ref, " has no submodule commit there");
      out.push_back(std::move(check));
      continue;
    }

    // The upstream: explicit, else a checked-out submodule.
    const SubmoduleUpstream* given = nullptr;
    for (const SubmoduleUpstream& u : options.upstreams) {
      if (u.path == s.path) given = &u;
    }
    std::optional<Repository> upstream;
    if (given != nullptr) {
      absl::StatusOr<Repository> r = Repository::Open(given->repository);
      if (!r.ok()) {
        return absl::Status(r.status().code(),
                            absl::StrCat("upstream of submodule \"", s.path,
                                         "\": ", r.status().message()));
      }
      upstream.emplace(*std::move(r));
      check.upstream = given->repository;
    } else if (options.discover) {
      std::vector<std::string> candidates;
      if (std::optional<std::string> wd = repo.workdir()) {
        std::string base = *wd;
        if (!base.empty() && base.back() != '/') base.push_back('/');
        candidates.push_back(absl::StrCat(base, s.path));
      }
      candidates.push_back(absl::StrCat(repo.git_dir(), "modules/", s.name));
      for (const std::string& c : candidates) {
        absl::StatusOr<Repository> r = Repository::Open(c);
        if (r.ok()) {
          upstream.emplace(*std::move(r));
          check.upstream = c;
          break;
        }
      }
    }
    if (!upstream) {
      check.state = SubmoduleState::kUnchecked;
      check.detail = absl::StrCat("no upstream repository for \"", s.path,
                                  "\" (none given, none checked out)");
      out.push_back(std::move(check));
      continue;
    }

    // Its default branch.
    std::vector<std::string> tried;
    if (given != nullptr && !given->default_branch.empty()) {
      tried.push_back(given->default_branch);
    } else {
      tried = DefaultBranchCandidates(s);
    }
    for (const std::string& rev : tried) {
      absl::StatusOr<ObjectId> head = upstream->ResolveCommit(rev);
      if (head.ok()) {
        check.default_branch = rev;
        check.default_branch_commit = *head;
        break;
      }
      if (!absl::IsNotFound(head.status())) return head.status();
    }
    if (!check.default_branch_commit) {
      std::string what = absl::StrCat(
          "no default branch in upstream ", check.upstream, " of submodule \"",
          s.path, "\" (tried ", absl::StrJoin(tried, ", "), ")");
      if (given != nullptr) return absl::NotFoundError(what);
      check.state = SubmoduleState::kUnchecked;
      check.detail = std::move(what);
      out.push_back(std::move(check));
      continue;
    }

    // The pin against it.
    absl::StatusOr<ObjectId> pinned =
        upstream->ResolveCommit(s.commit->ToString());
    if (absl::IsNotFound(pinned.status())) {
      check.state = SubmoduleState::kNotInUpstream;
      check.detail = absl::StrCat("pinned commit ", s.commit->ShortString(),
                                  " is not in upstream ", check.upstream);
      out.push_back(std::move(check));
      continue;
    }
    if (!pinned.ok()) return pinned.status();
    RELKIT_ASSIGN_OR_RETURN(
        bool on, upstream->IsAncestor(*pinned, *check.default_branch_commit));
    check.state = on ? SubmoduleState::kOnDefaultBranch
                     : SubmoduleState::kOffDefaultBranch;
    check.detail =
        on ? absl::StrCat("pinned commit ", s.commit->ShortString(), " is in ",
                          check.default_branch)
           : absl::StrCat("pinned commit ", s.commit->ShortString(),
                          " is not in the history of ", check.default_branch,
                          " (", check.default_branch_commit->ShortString(),
                          ")");
    out.push_back(std::move(check));
  }
  return out;
}

}  // namespace relkit
