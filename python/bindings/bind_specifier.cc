// relkit.Specifier, relkit.SpecifierSet and relkit.filter_versions, with the
// API of packaging.specifiers.
//
// Items to match may be str (kept as written for `===`) or Version (matched
// through their normal form for `===`), like packaging. `filter` converts its
// items once (calling `key` when given), then parses and matches them in one
// C++ call with the GIL released.

#include <Python.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "bindings.h"
#include "pybind11/stl.h"
#include "relkit/specifier.h"
#include "relkit/version.h"

namespace relkit::python {
namespace {

// Returns the C++ Version inside `item` when it is a relkit.Version.
const Version* AsVersion(py::handle item) {
  if (!py::isinstance<Version>(item)) return nullptr;
  return &item.cast<const Version&>();
}

// The items of one `filter` call, converted for the C++ matcher. Construct
// and read `item()` with the GIL held; `Build()` needs no GIL.
class CandidateBatch {
 public:
  CandidateBatch(py::handle iterable, py::handle key) {
    items_ = py::reinterpret_steal<py::tuple>(PySequence_Tuple(iterable.ptr()));
    if (!items_) throw py::error_already_set();
    const size_t n = items_.size();
    keys_ = items_;
    if (!key.is_none()) {
      keys_ = py::tuple(n);
      for (size_t i = 0; i < n; ++i) keys_[i] = key(items_[i]);
    }
    texts_.reserve(n);
    versions_.reserve(n);
    origin_.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      py::handle k = PyTuple_GET_ITEM(keys_.ptr(), static_cast<Py_ssize_t>(i));
      if (PyUnicode_Check(k.ptr())) {
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(k.ptr(), &size);
        if (data == nullptr) throw py::error_already_set();
        texts_.emplace_back(data, static_cast<size_t>(size));
        versions_.push_back(nullptr);
      } else if (const Version* v = AsVersion(k)) {
        texts_.emplace_back();
        versions_.push_back(v);
      } else {
        // Like packaging 26: a value that is not a version (None from a
        // key function, say) matches nothing and is dropped.
        continue;
      }
      origin_.push_back(i);
    }
  }

  // Parses the str items and returns one candidate per item.
  absl::Span<const VersionCandidate> Build() {
    const size_t n = texts_.size();
    parsed_.resize(n);
    normal_.resize(n);
    candidates_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (versions_[i] != nullptr) {
        normal_[i] = versions_[i]->ToString();
        candidates_[i] = {.text = normal_[i], .parsed = versions_[i]};
      } else {
        absl::StatusOr<Version> v = Version::Parse(texts_[i]);
        if (v.ok()) parsed_[i] = *std::move(v);
        candidates_[i] = {.text = texts_[i],
                          .parsed = parsed_[i] ? &*parsed_[i] : nullptr};
      }
    }
    return candidates_;
  }

  size_t size() const { return origin_.size(); }

  // Returns the original item of candidate `i`.
  py::object item(size_t i) const { return items_[origin_[i]]; }

 private:
  py::tuple items_;  // the originals, returned by filter
  py::tuple keys_;   // what is matched: items_ or key(item) of each
  std::vector<absl::string_view> texts_;
  std::vector<const Version*> versions_;
  std::vector<std::optional<Version>> parsed_;
  std::vector<std::string> normal_;
  std::vector<VersionCandidate> candidates_;
  std::vector<size_t> origin_;  // candidate index -> item index
};

// Below this many items, filter keeps the GIL: releasing it (and copying the
// specifier to match against) costs more than the matching.
constexpr size_t kReleaseGilMinItems = 64;

// Runs `spec.Filter` (Specifier or SpecifierSet) over `iterable` and returns
// an iterator over the matching original items, like packaging.
template <typename Spec>
py::iterator FilterItems(const Spec& spec, py::handle iterable,
                         std::optional<bool> prereleases, py::handle key) {
  CandidateBatch batch(iterable, key);
  std::vector<size_t> kept;
  if (batch.size() < kReleaseGilMinItems) {
    kept = spec.Filter(batch.Build(), prereleases);
  } else {
    // Another thread may set `spec.prereleases` while the GIL is released:
    // match against a private copy.
    const Spec copy = spec;
    py::gil_scoped_release release;
    kept = copy.Filter(batch.Build(), prereleases);
  }
  py::list out(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) out[i] = batch.item(kept[i]);
  return py::iter(out);
}

// Returns whether `spec` (Specifier or SpecifierSet) contains a str or
// Version item.
template <typename Spec, typename... Extra>
bool ContainsItem(const Spec& spec, py::handle item,
                  std::optional<bool> prereleases, Extra... extra) {
  if (PyUnicode_Check(item.ptr())) {
    return spec.Contains(StrView(item, ErrorDomain::kVersion), prereleases,
                         extra...);
  }
  if (const Version* v = AsVersion(item)) {
    return spec.Contains(*v, prereleases, extra...);
  }
  // packaging 26 returns False for anything that is not a version.
  return false;
}

py::object OptionalBool(std::optional<bool> b) {
  if (!b.has_value()) return py::none();
  return py::bool_(*b);
}

// ", prereleases=True" when an explicit override is set, as packaging shows.
std::string PrereleasesSuffix(std::optional<bool> explicit_prereleases) {
  if (!explicit_prereleases.has_value()) return "";
  return *explicit_prereleases ? ", prereleases=True" : ", prereleases=False";
}

// Returns repr(text) using Python's quoting rules.
std::string PyRepr(const std::string& text) {
  return py::repr(py::str(text)).cast<std::string>();
}

Specifier ParseSpecifier(py::handle text, std::optional<bool> prereleases) {
  return ValueOrThrow(
      Specifier::Parse(StrView(text, ErrorDomain::kSpecifier), prereleases),
      ErrorDomain::kSpecifier);
}

// Accepts a SpecifierSet, a Specifier or a specifier string as the other
// operand of ==, & and the set relations; nullopt for anything else (or an
// invalid string when `strict` is false).
std::optional<SpecifierSet> CoerceSet(py::handle other, bool strict) {
  if (py::isinstance<SpecifierSet>(other)) return other.cast<SpecifierSet>();
  if (py::isinstance<Specifier>(other)) {
    return SpecifierSet::FromSpecifiers({other.cast<Specifier>()});
  }
  if (PyUnicode_Check(other.ptr())) {
    absl::StatusOr<SpecifierSet> parsed =
        SpecifierSet::Parse(StrView(other, ErrorDomain::kSpecifier));
    if (parsed.ok()) return *std::move(parsed);
    if (strict) ThrowIfError(parsed.status(), ErrorDomain::kSpecifier);
  }
  return std::nullopt;
}

// The operand of is_subset/is_superset/is_disjoint: a SpecifierSet only, as
// in packaging 26 (a str raises TypeError).
const SpecifierSet& RequireSet(py::handle other) {
  if (!py::isinstance<SpecifierSet>(other)) {
    throw py::type_error(absl::StrCat("expected a SpecifierSet, got ",
                                      Py_TYPE(other.ptr())->tp_name));
  }
  return other.cast<const SpecifierSet&>();
}

SpecifierSet MakeSet(py::handle specifiers, std::optional<bool> prereleases) {
  if (PyUnicode_Check(specifiers.ptr())) {
    return ValueOrThrow(
        SpecifierSet::Parse(StrView(specifiers, ErrorDomain::kSpecifier),
                            prereleases),
        ErrorDomain::kSpecifier);
  }
  // packaging 26 also accepts an iterable of Specifier objects (or strings).
  std::vector<Specifier> specs;
  for (py::handle item : py::iter(specifiers)) {
    if (py::isinstance<Specifier>(item)) {
      specs.push_back(item.cast<Specifier>());
    } else if (PyUnicode_Check(item.ptr())) {
      specs.push_back(ParseSpecifier(item, std::nullopt));
    } else {
      throw py::type_error(absl::StrCat("expected Specifier or str items, got ",
                                        Py_TYPE(item.ptr())->tp_name));
    }
  }
  return SpecifierSet::FromSpecifiers(std::move(specs), prereleases);
}

}  // namespace

void BindSpecifier(py::module_& m) {
  py::class_<Specifier> spec(m, "Specifier", R"doc(
A single PEP 440 version specifier such as ``>=1.0`` or ``==2.1.*``,
compatible with ``packaging.specifiers.Specifier``.

Raises InvalidSpecifier (a ValueError) when the string is not valid.)doc");
  spec.def(py::init([](py::handle text, std::optional<bool> prereleases) {
             return ParseSpecifier(text, prereleases);
           }),
           py::arg("spec") = py::str(""), py::arg("prereleases") = py::none())
      .def_property_readonly("operator",
                             [](const Specifier& s) {
                               absl::string_view op = s.operator_text();
                               return py::str(op.data(), op.size());
                             })
      .def_property_readonly("version", &Specifier::version_text)
      .def_property(
          "prereleases",
          [](const Specifier& s) { return OptionalBool(s.prereleases()); },
          &Specifier::set_prereleases)
      .def(
          "contains",
          [](const Specifier& s, py::handle item,
             std::optional<bool> prereleases) {
            return ContainsItem(s, item, prereleases);
          },
          py::arg("item"), py::arg("prereleases") = py::none())
      .def("__contains__",
           [](const Specifier& s, py::handle item) {
             return ContainsItem(s, item, std::nullopt);
           })
      .def(
          "filter",
          [](const Specifier& s, py::handle iterable,
             std::optional<bool> prereleases, py::handle key) {
            return FilterItems(s, iterable, prereleases, key);
          },
          py::arg("iterable"), py::arg("prereleases") = py::none(),
          py::arg("key") = py::none())
      .def("__str__", &Specifier::ToString)
      .def("__repr__",
           [](const Specifier& s) {
             return absl::StrCat("<Specifier(", PyRepr(s.ToString()),
                                 PrereleasesSuffix(s.explicit_prereleases()),
                                 ")>");
           })
      .def("__hash__",
           [](const Specifier& s) {
             return static_cast<Py_ssize_t>(absl::Hash<Specifier>{}(s));
           })
      .def("__eq__",
           [](const Specifier& s, py::handle other) -> py::object {
             if (py::isinstance<Specifier>(other)) {
               return py::bool_(s == other.cast<const Specifier&>());
             }
             if (PyUnicode_Check(other.ptr())) {
               absl::StatusOr<Specifier> parsed =
                   Specifier::Parse(StrView(other, ErrorDomain::kSpecifier));
               if (parsed.ok()) return py::bool_(s == *parsed);
             }
             return py::reinterpret_borrow<py::object>(Py_NotImplemented);
           })
      .def("__reduce__", [](py::handle self) {
        const auto& s = self.cast<const Specifier&>();
        return py::make_tuple(
            py::type::of(self),
            py::make_tuple(s.ToString(),
                           OptionalBool(s.explicit_prereleases())));
      });

  py::class_<SpecifierSet> set(m, "SpecifierSet", R"doc(
A comma-separated set of PEP 440 specifiers that must all match, such as
``>=1.0,!=1.3.*,<2``; compatible with ``packaging.specifiers.SpecifierSet``.
The empty set matches everything.)doc");
  set.def(py::init(&MakeSet), py::arg("specifiers") = py::str(""),
          py::arg("prereleases") = py::none())
      .def("__len__", &SpecifierSet::size)
      .def("__iter__",
           [](const SpecifierSet& s) {
             py::list out;
             for (const Specifier& member : s) out.append(py::cast(member));
             return py::iter(out);
           })
      .def_property(
          "prereleases",
          [](const SpecifierSet& s) { return OptionalBool(s.prereleases()); },
          &SpecifierSet::set_prereleases)
      .def(
          "contains",
          [](const SpecifierSet& s, py::handle item,
             std::optional<bool> prereleases, std::optional<bool> installed) {
            return ContainsItem(
                s, item, prereleases,
                installed.value_or(false) ? Installed::kYes : Installed::kNo);
          },
          py::arg("item"), py::arg("prereleases") = py::none(),
          py::arg("installed") = py::none())
      .def("__contains__",
           [](const SpecifierSet& s, py::handle item) {
             return ContainsItem(s, item, std::nullopt, Installed::kNo);
           })
      .def(
          "filter",
          [](const SpecifierSet& s, py::handle iterable,
             std::optional<bool> prereleases, py::handle key) {
            return FilterItems(s, iterable, prereleases, key);
          },
          py::arg("iterable"), py::arg("prereleases") = py::none(),
          py::arg("key") = py::none())
      .def("__and__",
           [](const SpecifierSet& s, py::handle other) -> py::object {
             if (!py::isinstance<SpecifierSet>(other) &&
                 !PyUnicode_Check(other.ptr())) {
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             }
             std::optional<SpecifierSet> o = CoerceSet(other, /*strict=*/true);
             return py::cast(ValueOrThrow(SpecifierSet::Intersect(s, *o)));
           })
      .def("is_unsatisfiable", &SpecifierSet::IsUnsatisfiable)
      .def(
          "is_subset",
          [](const SpecifierSet& s, py::handle other) {
            return ValueOrThrow(s.IsSubset(RequireSet(other)));
          },
          py::arg("other"))
      .def(
          "is_superset",
          [](const SpecifierSet& s, py::handle other) {
            return ValueOrThrow(s.IsSuperset(RequireSet(other)));
          },
          py::arg("other"))
      .def(
          "is_disjoint",
          [](const SpecifierSet& s, py::handle other) {
            return ValueOrThrow(s.IsDisjoint(RequireSet(other)));
          },
          py::arg("other"))
      .def("__str__", &SpecifierSet::ToString)
      .def("__repr__",
           [](const SpecifierSet& s) {
             return absl::StrCat("<SpecifierSet(", PyRepr(s.ToString()),
                                 PrereleasesSuffix(s.explicit_prereleases()),
                                 ")>");
           })
      .def("__hash__",
           [](const SpecifierSet& s) {
             return static_cast<Py_ssize_t>(absl::Hash<SpecifierSet>{}(s));
           })
      .def("__eq__",
           [](const SpecifierSet& s, py::handle other) -> py::object {
             std::optional<SpecifierSet> o = CoerceSet(other, /*strict=*/false);
             if (!o.has_value()) {
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             }
             return py::bool_(s == *o);
           })
      .def("__reduce__", [](py::handle self) {
        const auto& s = self.cast<const SpecifierSet&>();
        return py::make_tuple(
            py::type::of(self),
            py::make_tuple(s.ToString(),
                           OptionalBool(s.explicit_prereleases())));
      });

  m.def(
      "filter_versions",
      [](const py::iterable& versions, py::handle specifiers,
         std::optional<bool> prereleases) {
        SpecifierSet set = MakeSet(specifiers, std::nullopt);
        TextBatch batch(versions);
        std::vector<size_t> kept;
        {
          py::gil_scoped_release release;
          kept = set.Filter(batch.views(), prereleases);
        }
        py::list out(kept.size());
        for (size_t i = 0; i < kept.size(); ++i) out[i] = batch.item(kept[i]);
        return out;
      },
      py::arg("versions"), py::arg("specifiers"),
      py::arg("prereleases") = py::none(),
      "Returns the strings matching the specifier set (a str such as "
      "\">=2.0,<3\"), in input order, with packaging's pre-release rule.");
}

}  // namespace relkit::python
