// Git repositories (relkit/git.h), commit messages (relkit/commit_message.h)
// and the branch audit (relkit/branch_audit.h).
//
// Shas are str in Python. Every Repository call releases the GIL and holds
// the repository's own lock (py_repository.h).

#include <Python.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bindings.h"
#include "convert.h"
#include "py_repository.h"
#include "pybind11/stl.h"
#include "relkit/branch_audit.h"
#include "relkit/commit_message.h"
#include "relkit/git.h"
#include "relkit/github.h"
#include "relkit/reports.h"
#include "relkit/version.h"

namespace relkit::python {
namespace {

// (commit, revert) pairs as a Python dict of shas.
std::map<std::string, std::string> ShaMap(
    const std::vector<std::pair<ObjectId, ObjectId>>& pairs) {
  std::map<std::string, std::string> out;
  for (const auto& [commit, by] : pairs) out[commit.ToString()] = by.ToString();
  return out;
}

// The evidence as a Python list of names.
std::vector<std::string> EvidenceList(const std::vector<Evidence>& ev) {
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
          [](const Counterpart& c) { return EvidenceList(c.evidence); })
      .def("__repr__", [](const Counterpart& c) {
        return absl::StrCat("<Counterpart ", c.sha.ShortString(), " [",
                            EvidenceNames(c.evidence), "]>");
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
          [](const RevertNeeded& r) { return EvidenceList(r.evidence); })
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
                 // "+" inside a cell: the cells of a row are joined with ","
                 // when a table is written as CSV.
                 ev.push_back(absl::StrJoin(EvidenceList(cp.evidence), "+"));
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
      .def(
          "to_text", [](const BranchAudit& a) { return BranchAuditText(a); },
          "The text `relkit audit branch` prints.")
      .def(
          "to_json", [](const BranchAudit& a) { return BranchAuditJson(a); },
          "The document `relkit audit branch --json` prints.")
      .def(
          "presence_text",
          [](const BranchAudit& a, const std::vector<Presence>& results) {
            return PresenceText(a, results);
          },
          py::arg("results"),
          "The text `relkit audit missing` prints for results of "
          "find_prs/find_commits.")
      .def(
          "presence_json",
          [](const BranchAudit& a, const std::vector<Presence>& results) {
            return PresenceJson(a, results);
          },
          py::arg("results"),
          "The document `relkit audit missing --json` prints.")
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

}  // namespace

void BindGit(py::module_& m) {
  BindValues(m);
  BindRepository(m);
  BindAudit(m);
}

}  // namespace relkit::python
