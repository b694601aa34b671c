// Git repositories (relkit/git.h), commit messages (relkit/commit_message.h),
// the branch audit (relkit/branch_audit.h), the branch cut
// (relkit/branch_cut.h), RC tags (relkit/rc_tags.h), pins and submodules
// (relkit/pins.h) and the demo repository (relkit/demo.h).
//
// Shas are str in Python. Every Repository call releases the GIL and holds
// the repository's own lock (a libgit2 repository is not thread-safe), so
// long walks let other Python threads run and two threads sharing one
// Repository take turns.

#include <Python.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "bindings.h"
#include "convert.h"
#include "pybind11/stl.h"
#include "relkit/branch_audit.h"
#include "relkit/branch_cut.h"
#include "relkit/commit_message.h"
#include "relkit/conventions.h"
#include "demo/demo.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/http.h"
#include "relkit/pins.h"
#include "relkit/rc_tags.h"
#include "relkit/version.h"

namespace relkit::python {
namespace {

// The Python-side owner: the repository and the lock that serialises calls.
struct PyRepository {
  explicit PyRepository(Repository r) : repo(std::move(r)) {}
  Repository repo;
  std::mutex mu;
};

// Runs `f(repo)` without the GIL and under the repository lock. The GIL is
// released first so that a thread waiting for the lock never holds it.
template <typename F>
auto Locked(PyRepository& r, F&& f) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(r.mu);
  return f(r.repo);
}

// (commit, revert) pairs as a Python dict of shas.
std::map<std::string, std::string> ShaMap(
    const std::vector<std::pair<ObjectId, ObjectId>>& pairs) {
  std::map<std::string, std::string> out;
  for (const auto& [commit, by] : pairs) out[commit.ToString()] = by.ToString();
  return out;
}

std::vector<std::string> EvidenceNames(const std::vector<Evidence>& ev) {
  std::vector<std::string> out;
  for (Evidence e : ev) out.emplace_back(EvidenceName(e));
  return out;
}

// The time of a signature, in the signer's time zone.
py::object SignatureTime(const Signature& s) {
  return ToDatetime(s.time, s.utc_offset_minutes);
}

void BindValues(py::module_& m) {
  py::class_<CommitInfo>(m, "Commit")
      .def_property_readonly(
          "sha", [](const CommitInfo& c) { return c.id.ToString(); })
      .def_property_readonly(
          "parents", [](const CommitInfo& c) { return Shas(c.parents); })
      .def_property_readonly("author_name",
                             [](const CommitInfo& c) { return c.author.name; })
      .def_property_readonly("author_email",
                             [](const CommitInfo& c) { return c.author.email; })
      .def_property_readonly(
          "author_time",
          [](const CommitInfo& c) { return SignatureTime(c.author); })
      .def_property_readonly(
          "committer_name",
          [](const CommitInfo& c) { return c.committer.name; })
      .def_property_readonly(
          "committer_time",
          [](const CommitInfo& c) { return SignatureTime(c.committer); })
      .def_readonly("message", &CommitInfo::message)
      .def_property_readonly("title", &CommitInfo::Title)
      .def_property_readonly("is_merge", &CommitInfo::is_merge)
      .def("__repr__", [](const CommitInfo& c) {
        return absl::StrCat("<Commit ", c.id.ShortString(), " ", c.Title(),
                            ">");
      });

  py::class_<TagInfo>(m, "GitTag")
      .def_readonly("name", &TagInfo::name)
      .def_property_readonly(
          "target", [](const TagInfo& t) { return t.target.ToString(); })
      .def_property_readonly("annotated", &TagInfo::annotated)
      .def_readonly("message", &TagInfo::message)
      .def("__repr__", [](const TagInfo& t) {
        return absl::StrCat("<GitTag ", t.name, " -> ", t.target.ShortString(),
                            t.annotated() ? " annotated" : "", ">");
      });

  py::class_<Remote>(m, "GitRemote",
                     "A configured remote: its name and fetch URL. repr() and "
                     "str() show the URL with credentials replaced by ***; "
                     "`url` is the raw URL, credentials included.")
      .def_readonly("name", &Remote::name)
      .def_readonly("url", &Remote::url,
                    "The fetch URL as git prints it, credentials included (on "
                    "purpose: it is what git uses); repr() redacts them.")
      .def("__eq__", [](const Remote& a, const Remote& b) { return a == b; })
      .def("__hash__",
           [](const Remote& r) {
             return py::hash(py::make_tuple(r.name, r.url));
           })
      .def("__repr__", [](const Remote& r) {
        return absl::StrCat("<GitRemote ", r.name, " ", RedactRemoteUrl(r.url),
                            ">");
      });

  py::class_<SubmoduleInfo>(m, "Submodule")
      .def_readonly("name", &SubmoduleInfo::name)
      .def_readonly("path", &SubmoduleInfo::path)
      .def_readonly("url", &SubmoduleInfo::url)
      .def_readonly("branch", &SubmoduleInfo::branch)
      .def_property_readonly(
          "commit",
          [](const SubmoduleInfo& s) { return OptionalSha(s.commit); })
      .def("__repr__", [](const SubmoduleInfo& s) {
        return absl::StrCat("<Submodule ", s.path, " @ ",
                            s.commit ? s.commit->ShortString() : "-", ">");
      });

  py::class_<CommitMessage>(m, "CommitMessage")
      .def_static(
          "parse",
          [](const std::string& message) {
            return CommitMessage::Parse(message);
          },
          py::arg("message"))
      .def_readonly("subject", &CommitMessage::subject)
      .def_readonly("title", &CommitMessage::title)
      .def_readonly("title_truncated", &CommitMessage::title_truncated)
      .def_readonly("body", &CommitMessage::body)
      .def_readonly("title_prs", &CommitMessage::title_prs)
      .def_readonly("bare_title", &CommitMessage::bare_title)
      .def_property_readonly("resolved_prs",
                             [](const CommitMessage& c) {
                               std::vector<uint64_t> out;
                               for (const GitHubRef& r : c.resolved_prs)
                                 out.push_back(r.number);
                               return out;
                             })
      .def_readonly("cherry_picked_from", &CommitMessage::cherry_picked_from)
      .def_readonly("reverted_commits", &CommitMessage::reverted_commits)
      .def_property_readonly(
          "revert_kind",
          [](const CommitMessage& c) {
            return std::string(RevertKindName(c.revert_kind));
          })
      .def_readonly("reverted_title", &CommitMessage::reverted_title)
      .def_property_readonly(
          "reverted_pr",
          [](const CommitMessage& c) -> std::optional<uint64_t> {
            if (!c.reverted_pr) return std::nullopt;
            return c.reverted_pr->number;
          })
      .def_readonly("ghstack_source_id", &CommitMessage::ghstack_source_id)
      .def_readonly("differential_revision",
                    &CommitMessage::differential_revision)
      .def_readonly("approved_by", &CommitMessage::approved_by)
      .def_property_readonly("fixes",
                             [](const CommitMessage& c) {
                               std::vector<uint64_t> out;
                               for (const GitHubRef& r : c.fixes)
                                 out.push_back(r.number);
                               return out;
                             })
      .def_property_readonly("own_pr", &CommitMessage::OwnPr)
      .def_property_readonly("pr_numbers", &CommitMessage::PrNumbers)
      .def("mentions_pr", &CommitMessage::MentionsPr, py::arg("number"))
      .def_property_readonly("normalized_title",
                             &CommitMessage::NormalizedTitle)
      .def("__repr__", [](const CommitMessage& c) {
        return absl::StrCat("<CommitMessage ", c.title, ">");
      });
}

// Opens a repository with `open` (Repository::Open or Discover) without the
// GIL: opening reads config and may stat many directories.
PyRepository* OpenWithoutGil(
    absl::StatusOr<Repository> (*open)(absl::string_view),
    const std::string& path) {
  absl::StatusOr<Repository> r;
  {
    py::gil_scoped_release release;
    r = open(path);
  }
  return new PyRepository(ValueOrThrow(std::move(r)));
}

void BindRepository(py::module_& m) {
  py::class_<PyRepository>(m, "Repository")
      .def_static(
          "open",
          [](const std::string& path) {
            return OpenWithoutGil(&Repository::Open, path);
          },
          py::arg("path"))
      .def_static(
          "discover",
          [](const std::string& path) {
            return OpenWithoutGil(&Repository::Discover, path);
          },
          py::arg("path") = ".")
      .def_static(
          "init",
          [](const std::string& path, bool bare,
             const std::string& initial_branch) {
            InitOptions o;
            o.kind = bare ? InitOptions::Kind::kBare
                          : InitOptions::Kind::kWithWorkdir;
            o.initial_branch = initial_branch;
            return new PyRepository(ValueOrThrow(Repository::Init(path, o)));
          },
          py::arg("path"), py::kw_only(), py::arg("bare") = false,
          py::arg("initial_branch") = "main")
      .def_property_readonly(
          "git_dir",
          [](PyRepository& r) {
            return Locked(r, [](Repository& x) { return x.git_dir(); });
          })
      .def_property_readonly(
          "workdir",
          [](PyRepository& r) {
            return Locked(r, [](Repository& x) { return x.workdir(); });
          })
      .def_property_readonly(
          "is_bare",
          [](PyRepository& r) {
            return Locked(r, [](Repository& x) { return x.is_bare(); });
          })
      .def_property_readonly(
          "is_shallow",
          [](PyRepository& r) {
            return Locked(r, [](Repository& x) { return x.is_shallow(); });
          })
      .def(
          "resolve",
          [](PyRepository& r, const std::string& rev) {
            return ValueOrThrow(Locked(r,
                                       [&](Repository& x) {
                                         return x.ResolveCommit(rev);
                                       }))
                .ToString();
          },
          py::arg("rev"))
      .def(
          "rev_list",
          [](PyRepository& r, const std::string& range, bool first_parent,
             bool reverse, size_t limit) {
            WalkOptions o;
            o.first_parent = first_parent;
            o.reverse = reverse;
            o.limit = limit;
            return Shas(ValueOrThrow(
                Locked(r, [&](Repository& x) { return x.RevList(range, o); })));
          },
          py::arg("range"), py::kw_only(), py::arg("first_parent") = false,
          py::arg("reverse") = false, py::arg("limit") = 0)
      .def(
          "commit",
          [](PyRepository& r, const std::string& rev) {
            return ValueOrThrow(
                Locked(r, [&](Repository& x) -> absl::StatusOr<CommitInfo> {
                  absl::StatusOr<ObjectId> id = x.ResolveCommit(rev);
                  if (!id.ok()) return id.status();
                  return x.GetCommit(*id);
                }));
          },
          py::arg("rev"))
      .def(
          "merge_base",
          [](PyRepository& r, const std::string& a, const std::string& b) {
            return ValueOrThrow(
                       Locked(r,
                              [&](Repository& x) -> absl::StatusOr<ObjectId> {
                                absl::StatusOr<ObjectId> ia =
                                    x.ResolveCommit(a);
                                if (!ia.ok()) return ia.status();
                                absl::StatusOr<ObjectId> ib =
                                    x.ResolveCommit(b);
                                if (!ib.ok()) return ib.status();
                                return x.MergeBase(*ia, *ib);
                              }))
                .ToString();
          },
          py::arg("a"), py::arg("b"))
      .def(
          "is_ancestor",
          [](PyRepository& r, const std::string& ancestor,
             const std::string& descendant) {
            return ValueOrThrow(
                Locked(r, [&](Repository& x) -> absl::StatusOr<bool> {
                  absl::StatusOr<ObjectId> a = x.ResolveCommit(ancestor);
                  if (!a.ok()) return a.status();
                  absl::StatusOr<ObjectId> d = x.ResolveCommit(descendant);
                  if (!d.ok()) return d.status();
                  return x.IsAncestor(*a, *d);
                }));
          },
          py::arg("ancestor"), py::arg("descendant"))
      .def(
          "patch_id",
          [](PyRepository& r,
             const std::string& rev) -> std::optional<std::string> {
            return OptionalSha(ValueOrThrow(Locked(
                r,
                [&](Repository& x) -> absl::StatusOr<std::optional<ObjectId>> {
                  absl::StatusOr<ObjectId> id = x.ResolveCommit(rev);
                  if (!id.ok()) return id.status();
                  return x.PatchId(*id);
                })));
          },
          py::arg("rev"))
      .def(
          "read_file",
          [](PyRepository& r, const std::string& rev, const std::string& path) {
            return py::bytes(ValueOrThrow(Locked(
                r, [&](Repository& x) { return x.ReadFile(rev, path); })));
          },
          py::arg("rev"), py::arg("path"))
      .def(
          "submodules",
          [](PyRepository& r, const std::string& rev) {
            return ValueOrThrow(
                Locked(r, [&](Repository& x) { return x.Submodules(rev); }));
          },
          py::arg("rev"))
      .def("tags",
           [](PyRepository& r) {
             return ValueOrThrow(
                 Locked(r, [](Repository& x) { return x.ListTags(); }));
           })
      .def(
          "refs",
          [](PyRepository& r, const std::string& prefix) {
            std::vector<std::pair<std::string, std::string>> out;
            for (auto& [name, id] : ValueOrThrow(Locked(
                     r, [&](Repository& x) { return x.ListRefs(prefix); }))) {
              out.emplace_back(name, id.ToString());
            }
            return out;
          },
          py::arg("prefix") = "refs/")
      .def(
          "create_branch",
          [](PyRepository& r, const std::string& name,
             const std::string& target) {
            ThrowIfError(Locked(r, [&](Repository& x) -> absl::Status {
              absl::StatusOr<ObjectId> id = x.ResolveCommit(target);
              if (!id.ok()) return id.status();
              return x.CreateBranch(name, *id);
            }));
          },
          py::arg("name"), py::arg("target"))
      .def(
          "create_tag",
          [](PyRepository& r, const std::string& name,
             const std::string& target, std::optional<std::string> message) {
            ThrowIfError(Locked(r, [&](Repository& x) -> absl::Status {
              absl::StatusOr<ObjectId> id = x.ResolveCommit(target);
              if (!id.ok()) return id.status();
              return x.CreateTag(name, *id, message);
            }));
          },
          py::arg("name"), py::arg("target"), py::kw_only(),
          py::arg("message") = py::none())
      .def(
          "remotes",
          [](PyRepository& r) {
            return ValueOrThrow(
                Locked(r, [](Repository& x) { return x.Remotes(); }));
          },
          "The configured remotes with their fetch URLs, sorted by name.")
      .def(
          "remote_url",
          [](PyRepository& r, const std::string& name) {
            return ValueOrThrow(
                Locked(r, [&](Repository& x) { return x.RemoteUrl(name); }));
          },
          py::arg("name"),
          "The fetch URL of remote `name` (NotFoundError when missing).")
      .def(
          "push",
          [](PyRepository& r, const std::string& remote,
             std::vector<std::string> refspecs) {
            PushOptions o;
            o.remote = remote;
            o.refspecs = std::move(refspecs);
            ThrowIfError(Locked(r, [&](Repository& x) { return x.Push(o); }));
          },
          py::arg("remote"), py::arg("refspecs"))
      .def("__repr__", [](PyRepository& r) {
        return absl::StrCat(
            "<Repository ",
            Locked(r, [](Repository& x) { return x.git_dir(); }), ">");
      });
}

void BindAudit(py::module_& m) {
  py::class_<Counterpart>(m, "Counterpart")
      .def_property_readonly(
          "sha", [](const Counterpart& c) { return c.sha.ToString(); })
      .def_property_readonly(
          "evidence",
          [](const Counterpart& c) { return EvidenceNames(c.evidence); })
      .def("__repr__", [](const Counterpart& c) {
        return absl::StrCat("<Counterpart ", c.sha.ShortString(), " [",
                            absl::StrJoin(EvidenceNames(c.evidence), ", "),
                            "]>");
      });

  py::class_<BranchCommit>(m, "BranchCommit")
      .def_property_readonly(
          "sha", [](const BranchCommit& c) { return c.sha.ToString(); })
      .def_readonly("title", &BranchCommit::title)
      .def_readonly("is_merge", &BranchCommit::is_merge)
      .def_readonly("pr_numbers", &BranchCommit::pr_numbers)
      .def_readonly("counterparts", &BranchCommit::counterparts)
      .def_readonly("release_only", &BranchCommit::release_only)
      .def_property_readonly(
          "reverted_by",
          [](const BranchCommit& c) {
            return c.reverted_by
                       ? std::optional<std::string>(c.reverted_by->ToString())
                       : std::nullopt;
          })
      .def_property_readonly(
          "counterparts_reverted",
          [](const BranchCommit& c) { return ShaMap(c.counterparts_reverted); })
      .def("__repr__", [](const BranchCommit& c) {
        return absl::StrCat(
            "<BranchCommit ", c.sha.ShortString(), " ", c.title,
            c.release_only ? " release-only" : "",
            c.reverted_by
                ? absl::StrCat(" reverted by ", c.reverted_by->ShortString())
                : "",
            ">");
      });

  py::class_<RevertNeeded>(m, "RevertNeeded")
      .def_property_readonly(
          "revert_sha",
          [](const RevertNeeded& r) { return r.revert_sha.ToString(); })
      .def_readonly("revert_title", &RevertNeeded::revert_title)
      .def_property_readonly(
          "reverted_sha",
          [](const RevertNeeded& r) { return r.reverted_sha.ToString(); })
      .def_property_readonly(
          "present_as",
          [](const RevertNeeded& r) { return r.present_as.ToString(); })
      .def_property_readonly(
          "evidence",
          [](const RevertNeeded& r) { return EvidenceNames(r.evidence); })
      .def("__repr__", [](const RevertNeeded& r) {
        return absl::StrCat("<RevertNeeded ", r.revert_sha.ShortString(), " ",
                            r.revert_title, ">");
      });

  py::class_<Presence>(m, "Presence")
      .def_readonly("query", &Presence::query)
      .def_property_readonly("state",
                             [](const Presence& p) {
                               return std::string(PresenceStateName(p.state));
                             })
      .def_property_readonly(
          "main_commits",
          [](const Presence& p) { return Shas(p.main_commits); })
      .def_readonly("in_branch", &Presence::in_branch)
      .def_readonly("reverted_in_branch", &Presence::reverted_in_branch)
      .def("__repr__", [](const Presence& p) {
        return absl::StrCat("<Presence ", p.query, " ",
                            PresenceStateName(p.state), ">");
      });

  py::class_<BranchAudit>(m, "BranchAudit")
      .def_readonly("branch", &BranchAudit::branch)
      .def_readonly("main", &BranchAudit::main)
      .def_property_readonly(
          "branch_head",
          [](const BranchAudit& a) { return a.branch_head.ToString(); })
      .def_property_readonly(
          "main_head",
          [](const BranchAudit& a) { return a.main_head.ToString(); })
      .def_property_readonly(
          "cut_point",
          [](const BranchAudit& a) { return a.cut_point.ToString(); })
      .def_property_readonly(
          "cut_point_source",
          [](const BranchAudit& a) {
            return std::string(CutPointSourceName(a.cut_point_source));
          })
      .def_readonly("commits", &BranchAudit::commits)
      .def_property_readonly(
          "main_commit_count",
          [](const BranchAudit& a) { return a.main_commits.size(); })
      .def_readonly("reverts_needed", &BranchAudit::reverts_needed)
      .def_property_readonly(
          "reverted_before_cut",
          [](const BranchAudit& a) { return ShaMap(a.reverted_before_cut); })
      .def_property_readonly(
          "warnings",
          [](const BranchAudit& a) {
            std::vector<std::pair<std::string, std::string>> out;
            for (const AuditWarning& w : a.warnings) {
              out.emplace_back(w.sha.ToString(), w.message);
            }
            return out;
          })
      .def(
          "find_prs",
          [](const BranchAudit& a, std::vector<uint64_t> prs) {
            return FindPrsInBranch(a, prs);
          },
          py::arg("prs"))
      .def(
          "find_commits",
          [](const BranchAudit& a, PyRepository& r,
             std::vector<std::string> revs) {
            return ValueOrThrow(Locked(r, [&](Repository& x) {
              return FindCommitsInBranch(x, a, revs);
            }));
          },
          py::arg("repo"), py::arg("revisions"))
      .def("to_records",
           [](const BranchAudit& a) {
             py::list out;
             for (const BranchCommit& c : a.commits) {
               py::dict d;
               d["sha"] = c.sha.ToString();
               d["title"] = c.title;
               d["release_only"] = c.release_only;
               d["is_merge"] = c.is_merge;
               std::vector<std::string> shas, ev;
               for (const Counterpart& cp : c.counterparts) {
                 shas.push_back(cp.sha.ToString());
                 ev.push_back(absl::StrJoin(EvidenceNames(cp.evidence), "+"));
               }
               d["counterparts"] = shas;
               d["evidence"] = ev;
               d["reverted_by"] =
                   c.reverted_by
                       ? py::object(py::str(c.reverted_by->ToString()))
                       : py::object(py::none());
               d["counterparts_reverted"] = ShaMap(c.counterparts_reverted);
               out.append(d);
             }
             return out;
           })
      .def("__repr__", [](const BranchAudit& a) {
        size_t release_only = 0;
        for (const BranchCommit& c : a.commits) release_only += c.release_only;
        return absl::StrCat("<BranchAudit ", a.branch, ": ", a.commits.size(),
                            " commits since ", a.cut_point.ShortString(), ", ",
                            release_only, " release-only, ",
                            a.reverts_needed.size(), " reverts needed>");
      });

  m.def(
      "audit_branch",
      [](PyRepository& r, const std::string& branch, const std::string& main,
         const std::string& orig, const std::optional<std::string>& cache_dir) {
        AuditOptions o;
        o.main = main;
        o.orig = orig;
        o.cache_dir = cache_dir.value_or("");
        return ValueOrThrow(Locked(
            r, [&](Repository& x) { return AuditBranch(x, branch, o); }));
      },
      py::arg("repo"), py::arg("branch"), py::kw_only(),
      py::arg("main") = "main", py::arg("orig") = "",
      py::arg("cache_dir") = py::none());
}

std::optional<Signature> SignatureArg(
    const std::optional<std::pair<std::string, std::string>>& who) {
  if (!who) return std::nullopt;
  return Signature{.name = who->first,
                   .email = who->second,
                   .time = absl::Now(),
                   .utc_offset_minutes = 0};
}

py::dict PlannedCommitDict(const PlannedCommit& c) {
  py::dict d;
  d["branch"] = c.branch;
  d["parent"] = c.parent.ToString();
  d["message"] = c.message;
  py::list edits;
  for (const FileEdit& e : c.edits) {
    py::dict x;
    x["path"] = e.path;
    x["before"] = e.before;
    x["after"] = e.after;
    edits.append(x);
  }
  d["edits"] = edits;
  return d;
}

py::dict CutPlanDict(const BranchCutPlan& p) {
  py::dict d;
  d["release"] = p.release.ToString();
  d["release_branch"] = p.release_branch;
  d["orig_branch"] = p.orig_branch;
  d["source"] = p.source;
  d["source_commit"] = p.source_commit.ToString();
  d["next_main_version"] = p.next_main_version.ToString();
  d["remote"] = p.remote ? py::cast(*p.remote) : py::none();
  d["release_only_commit"] =
      p.release_only ? py::object(PlannedCommitDict(*p.release_only))
                     : py::none();
  d["version_bump_commit"] =
      p.version_bump ? py::object(PlannedCommitDict(*p.version_bump))
                     : py::none();
  return d;
}

void BindBranchCut(py::module_& m) {
  py::class_<FileEdit>(m, "FileEdit")
      .def_readonly("path", &FileEdit::path)
      .def_readonly("before", &FileEdit::before)
      .def_readonly("after", &FileEdit::after)
      .def("__repr__", [](const FileEdit& e) {
        return absl::StrCat("<FileEdit ", e.path, ">");
      });

  py::class_<PlannedCommit>(m, "PlannedCommit")
      .def_readonly("branch", &PlannedCommit::branch)
      .def_property_readonly(
          "parent", [](const PlannedCommit& c) { return c.parent.ToString(); })
      .def_readonly("message", &PlannedCommit::message)
      .def_readonly("edits", &PlannedCommit::edits)
      .def("__repr__", [](const PlannedCommit& c) {
        return absl::StrCat("<PlannedCommit on ", c.branch, ": ",
                            c.message.substr(0, c.message.find('\n')), ">");
      });

  py::class_<BranchCutPlan>(m, "BranchCutPlan")
      .def_readonly("release", &BranchCutPlan::release)
      .def_readonly("release_branch", &BranchCutPlan::release_branch)
      .def_readonly("orig_branch", &BranchCutPlan::orig_branch)
      .def_readonly("source", &BranchCutPlan::source)
      .def_property_readonly(
          "source_commit",
          [](const BranchCutPlan& p) { return p.source_commit.ToString(); })
      .def_readonly("remote", &BranchCutPlan::remote)
      .def_readonly("release_only", &BranchCutPlan::release_only)
      .def_readonly("version_bump", &BranchCutPlan::version_bump)
      .def_readonly("next_main_version", &BranchCutPlan::next_main_version)
      .def("to_diff", &BranchCutPlan::ToDiff)
      .def("to_dict", &CutPlanDict)
      .def("to_json",
           [](const BranchCutPlan& p) { return JsonDumps(CutPlanDict(p)); })
      .def(
          "apply",
          [](const BranchCutPlan& p, PyRepository& r, bool push,
             const std::optional<std::pair<std::string, std::string>>& author) {
            ApplyCutOptions o;
            o.push = push;
            o.signature = SignatureArg(author);
            CutOutcome done = ValueOrThrow(Locked(
                r, [&](Repository& x) { return ApplyBranchCut(x, p, o); }));
            return std::string(CutOutcomeName(done));
          },
          py::arg("repo"), py::kw_only(), py::arg("push") = false,
          py::arg("author") = py::none())
      .def("__repr__", [](const BranchCutPlan& p) {
        return absl::StrCat("<BranchCutPlan ", p.release_branch, " from ",
                            p.source, " @ ", p.source_commit.ShortString(),
                            ">");
      });

  m.def(
      "plan_branch_cut",
      [](PyRepository& r, std::optional<std::string> version,
         const std::string& source, const std::string& default_branch,
         std::optional<std::string> remote) {
        BranchCutOptions o;
        if (version) {
          o.version =
              ValueOrThrow(Version::Parse(*version), ErrorDomain::kVersion);
        }
        o.source = source;
        o.default_branch = default_branch;
        o.remote = std::move(remote);
        return ValueOrThrow(
            Locked(r, [&](Repository& x) { return PlanBranchCut(x, o); }));
      },
      py::arg("repo"), py::kw_only(), py::arg("version") = py::none(),
      py::arg("source") = "viable/strict", py::arg("default_branch") = "main",
      py::arg("remote") = py::none());
}

py::dict RcPlanDict(const RcTagPlan& p) {
  py::dict d;
  d["branch"] = p.branch;
  d["tag"] = p.tag.ToString();
  d["target"] = p.target.ToString();
  d["annotated"] = p.message.has_value();
  d["message"] = p.message ? py::cast(*p.message) : py::none();
  d["tags_at_target"] = p.tags_at_target;
  d["warnings"] = p.warnings;
  return d;
}

void BindRcTags(py::module_& m) {
  py::class_<RepositoryRcTag>(m, "RepositoryRcTag")
      .def_readonly("tag", &RepositoryRcTag::tag)
      .def_property_readonly(
          "name", [](const RepositoryRcTag& t) { return t.tag.ToString(); })
      .def_property_readonly(
          "commit",
          [](const RepositoryRcTag& t) { return t.commit.ToString(); })
      .def_readonly("annotated", &RepositoryRcTag::annotated)
      .def("__repr__", [](const RepositoryRcTag& t) {
        return absl::StrCat("<RepositoryRcTag ", t.tag.ToString(), " -> ",
                            t.commit.ShortString(), ">");
      });

  py::class_<RcTagPlan>(m, "RcTagPlan")
      .def_readonly("branch", &RcTagPlan::branch)
      .def_readonly("tag", &RcTagPlan::tag)
      .def_property_readonly(
          "target", [](const RcTagPlan& p) { return p.target.ToString(); })
      .def_readonly("message", &RcTagPlan::message)
      .def_readonly("tags_at_target", &RcTagPlan::tags_at_target)
      .def_readonly("warnings", &RcTagPlan::warnings)
      .def("to_dict", &RcPlanDict)
      .def("to_json",
           [](const RcTagPlan& p) { return JsonDumps(RcPlanDict(p)); })
      .def(
          "apply",
          [](const RcTagPlan& p, PyRepository& r) {
            ApplyOutcome done = ValueOrThrow(
                Locked(r, [&](Repository& x) { return ApplyRcTag(x, p); }));
            return std::string(ApplyOutcomeName(done));
          },
          py::arg("repo"))
      .def("__repr__", [](const RcTagPlan& p) {
        return absl::StrCat("<RcTagPlan ", p.tag.ToString(), " at ",
                            p.target.ShortString(), " on ", p.branch, ">");
      });

  m.def(
      "list_rc_tags",
      [](PyRepository& r, const std::string& branch) {
        return ValueOrThrow(
            Locked(r, [&](Repository& x) { return ListRcTags(x, branch); }));
      },
      py::arg("repo"), py::arg("branch"));
  m.def(
      "target_release",
      [](const std::string& branch, const std::vector<std::string>& tags) {
        return ValueOrThrow(TargetRelease(branch, tags));
      },
      py::arg("branch"), py::arg("tags"));
  m.def(
      "plan_rc_tag",
      [](PyRepository& r, const std::string& branch,
         std::optional<std::string> release, bool final,
         std::optional<std::string> message) {
        RcTagPlanOptions o;
        if (release) {
          o.release =
              ValueOrThrow(Version::Parse(*release), ErrorDomain::kVersion);
        }
        o.final = final;
        o.message = std::move(message);
        return ValueOrThrow(
            Locked(r, [&](Repository& x) { return PlanRcTag(x, branch, o); }));
      },
      py::arg("repo"), py::arg("branch"), py::kw_only(),
      py::arg("release") = py::none(), py::arg("final") = false,
      py::arg("message") = py::none());
  m.def(
      "next_branch_rc_tag",
      [](PyRepository& r, const std::string& branch) {
        return ValueOrThrow(Locked(r,
                                   [&](Repository& x) {
                                     return PlanRcTag(x, branch, {});
                                   }))
            .tag;
      },
      py::arg("repo"), py::arg("branch"));
}

void BindPins(py::module_& m) {
  m.attr("TRITON_PIN_PATH") = std::string(kTritonPinPath);
  m.attr("TRITON_VERSION_PATH") = std::string(kTritonVersionPath);

  py::class_<TritonPin>(m, "TritonPin")
      .def_property_readonly(
          "commit", [](const TritonPin& p) { return p.commit.ToString(); })
      .def_readonly("version", &TritonPin::version)
      .def("__repr__", [](const TritonPin& p) {
        return absl::StrCat("<TritonPin ", p.commit.ShortString(),
                            p.version ? " " + p.version->ToString() : "", ">");
      });

  py::class_<SubmoduleCheck>(m, "SubmoduleCheck")
      .def_readonly("submodule", &SubmoduleCheck::submodule)
      .def_property_readonly(
          "path", [](const SubmoduleCheck& s) { return s.submodule.path; })
      .def_property_readonly("commit",
                             [](const SubmoduleCheck& s) {
                               return OptionalSha(s.submodule.commit);
                             })
      .def_property_readonly("state",
                             [](const SubmoduleCheck& s) {
                               return std::string(SubmoduleStateName(s.state));
                             })
      .def_property_readonly("flagged", &SubmoduleCheck::flagged)
      .def_readonly("upstream", &SubmoduleCheck::upstream)
      .def_readonly("default_branch", &SubmoduleCheck::default_branch)
      .def_property_readonly("default_branch_commit",
                             [](const SubmoduleCheck& s) {
                               return OptionalSha(s.default_branch_commit);
                             })
      .def_readonly("detail", &SubmoduleCheck::detail)
      .def("__repr__", [](const SubmoduleCheck& s) {
        return absl::StrCat("<SubmoduleCheck ", s.submodule.path, " ",
                            SubmoduleStateName(s.state), ">");
      });

  m.def(
      "parse_commit_pin",
      [](const std::string& text, const std::string& source) {
        return ValueOrThrow(ParseCommitPin(text, source)).ToString();
      },
      py::arg("text"), py::arg("source") = "<input>");
  m.def(
      "parse_version_pin",
      [](const std::string& text, const std::string& source) {
        return ValueOrThrow(ParseVersionPin(text, source));
      },
      py::arg("text"), py::arg("source") = "<input>");
  m.def(
      "read_triton_pin",
      [](PyRepository& r, const std::string& ref) {
        return ValueOrThrow(
            Locked(r, [&](Repository& x) { return ReadTritonPin(x, ref); }));
      },
      py::arg("repo"), py::arg("ref") = "HEAD");
  m.def(
      "check_submodules",
      [](PyRepository& r, const std::string& ref,
         const std::map<std::string, std::string>& upstreams,
         const std::map<std::string, std::string>& default_branches,
         bool discover) {
        SubmoduleCheckOptions o;
        o.discover = discover;
        for (const auto& [path, repo] : upstreams) {
          SubmoduleUpstream u{
              .path = path, .repository = repo, .default_branch = ""};
          if (auto it = default_branches.find(path);
              it != default_branches.end()) {
            u.default_branch = it->second;
          }
          o.upstreams.push_back(std::move(u));
        }
        return ValueOrThrow(Locked(
            r, [&](Repository& x) { return CheckSubmodules(x, ref, o); }));
      },
      py::arg("repo"), py::arg("ref") = "HEAD", py::kw_only(),
      py::arg("upstreams") = std::map<std::string, std::string>(),
      py::arg("default_branches") = std::map<std::string, std::string>(),
      py::arg("discover") = true);
}

void BindDemo(py::module_& m) {
  py::class_<DemoChange>(m, "DemoChange")
      .def_property_readonly(
          "role",
          [](const DemoChange& c) { return std::string(DemoRoleName(c.role)); })
      .def_readonly("pr", &DemoChange::pr)
      .def_readonly("title", &DemoChange::title)
      .def_property_readonly(
          "main_commit",
          [](const DemoChange& c) { return c.main_commit.ToString(); })
      .def_property_readonly(
          "branch_commit",
          [](const DemoChange& c) { return OptionalSha(c.branch_commit); })
      .def_readonly("branch_pr", &DemoChange::branch_pr)
      .def_property_readonly(
          "revert_commit",
          [](const DemoChange& c) { return OptionalSha(c.revert_commit); })
      .def("__repr__", [](const DemoChange& c) {
        return absl::StrCat("<DemoChange #", c.pr, " ", DemoRoleName(c.role),
                            ">");
      });

  py::class_<DemoRepository>(m, "DemoRepository")
      .def_readonly("path", &DemoRepository::path)
      .def_readonly("main", &DemoRepository::main)
      .def_readonly("source", &DemoRepository::source)
      .def_readonly("release_branch", &DemoRepository::release_branch)
      .def_readonly("orig_branch", &DemoRepository::orig_branch)
      .def_property_readonly(
          "cut_point",
          [](const DemoRepository& d) { return d.cut_point.ToString(); })
      .def_readonly("rc_tag", &DemoRepository::rc_tag)
      .def_readonly("changes", &DemoRepository::changes)
      .def_readonly("requested_prs", &DemoRepository::requested_prs)
      .def("__repr__", [](const DemoRepository& d) {
        return absl::StrCat("<DemoRepository ", d.path, ">");
      });

  m.def(
      "build_demo_repository",
      [](const std::string& path) {
        absl::StatusOr<DemoRepository> d;
        {
          py::gil_scoped_release release;
          d = BuildDemoRepository(path);
        }
        return ValueOrThrow(std::move(d));
      },
      py::arg("path"));
}

}  // namespace

void BindGit(py::module_& m) {
  BindValues(m);
  BindRepository(m);
  BindAudit(m);
  BindBranchCut(m);
  BindRcTags(m);
  BindPins(m);
  BindDemo(m);
}

}  // namespace relkit::python
