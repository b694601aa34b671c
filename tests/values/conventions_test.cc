#include "relkit/conventions.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash_testing.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/version.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::IsOkAndHolds;
using ::relkit::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

Version V(absl::string_view text) {
  absl::StatusOr<Version> v = Version::Parse(text);
  EXPECT_THAT(v, IsOk()) << text;
  return v.ok() ? *v : Version();
}

Accelerator A(absl::string_view label) {
  absl::StatusOr<Accelerator> a = Accelerator::Parse(label);
  EXPECT_THAT(a, IsOk()) << label;
  return a.ok() ? *a : Accelerator();
}

RcTag T(absl::string_view tag) {
  absl::StatusOr<RcTag> t = RcTag::Parse(tag);
  EXPECT_THAT(t, IsOk()) << tag;
  return t.ok() ? *t : RcTag();
}

// Returns the first column (ref name) of tests/data/<name>, a
// `git for-each-ref` listing.
std::vector<std::string> RefNames(const std::string& name) {
  std::ifstream in(std::string(RELKIT_TEST_DATA_DIR) + "/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::vector<std::string> refs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> columns = absl::StrSplit(line, '\t');
    refs.push_back(columns[0]);
  }
  return refs;
}

// -----------------------------------------------------------------------------
// RcTag

TEST(RcTagTest, ParsesReleaseCandidateTag) {
  absl::StatusOr<RcTag> tag = RcTag::Parse("v2.4.0-rc1");
  ASSERT_THAT(tag, IsOk());
  EXPECT_EQ(tag->major(), 2u);
  EXPECT_EQ(tag->minor(), 4u);
  EXPECT_EQ(tag->patch(), 0u);
  EXPECT_THAT(tag->rc(), Optional(1u));
  EXPECT_TRUE(tag->is_rc());
  EXPECT_EQ(tag->version().ToString(), "2.4.0rc1");
  EXPECT_EQ(tag->final_version().ToString(), "2.4.0");
  EXPECT_EQ(tag->Final().ToString(), "v2.4.0");
  EXPECT_EQ(tag->ToString(), "v2.4.0-rc1");
}

TEST(RcTagTest, ParsesFinalTag) {
  absl::StatusOr<RcTag> tag = RcTag::Parse("v2.10.1");
  ASSERT_THAT(tag, IsOk());
  EXPECT_FALSE(tag->is_rc());
  EXPECT_EQ(tag->version(), V("2.10.1"));
  EXPECT_EQ(tag->version(), tag->final_version());
  EXPECT_EQ(tag->ToString(), "v2.10.1");
}

TEST(RcTagTest, RejectsMalformedTagsNamingPosition) {
  struct Case {
    const char* tag;
    const char* position;
  };
  for (const Case& c :
       {Case{"2.4.0-rc1", "position 0"}, Case{"V2.4.0", "position 0"},
        Case{"v2.4", "position 4"}, Case{"v2.4-rc1", "position 4"},
        Case{"v2.4.0-rc", "position 9"}, Case{"v2.4.0-RC1", "position 6"},
        Case{"v2.4.0rc1", "position 6"}, Case{"v02.4.0", "position 1"},
        Case{"v2.4.0-rc01", "position 9"}, Case{"v2.4.0-rc1 ", "position 10"},
        Case{"v2.4.0.1", "position 6"},
        Case{"v99999999999999999999.0.0", "position 1"},
        Case{"", "position 0"}}) {
    EXPECT_THAT(
        RcTag::Parse(c.tag),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 AllOf(HasSubstr("invalid RC tag"), HasSubstr(c.position))))
        << c.tag;
  }
}

TEST(RcTagTest, AcceptsTwoComponentTagOnlyWhenAsked) {
  EXPECT_THAT(RcTag::Parse("v1.8-rc1"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<RcTag> tag =
      RcTag::Parse("v1.8-rc1", {.allow_two_component_release = true});
  ASSERT_THAT(tag, IsOk());
  EXPECT_EQ(tag->version().ToString(), "1.8rc1");
  EXPECT_EQ(tag->final_version(), V("1.8.0"));
  EXPECT_EQ(tag->ToString(), "v1.8-rc1");
  EXPECT_NE(*tag, T("v1.8.0-rc1"));
  EXPECT_LT(*tag, T("v1.8.0-rc1"));
}

TEST(RcTagTest, ConvertsFromVersion) {
  EXPECT_THAT(RcTag::FromVersion(V("2.4.0rc1")), IsOkAndHolds(T("v2.4.0-rc1")));
  EXPECT_THAT(RcTag::FromVersion(V("2.4.0-RC3")),
              IsOkAndHolds(T("v2.4.0-rc3")));
  EXPECT_THAT(RcTag::FromVersion(V("2.4")), IsOkAndHolds(T("v2.4.0")));
  EXPECT_THAT(RcTag::FromVersion(V("2.4.0.0")), IsOkAndHolds(T("v2.4.0")));
  EXPECT_THAT(RcTag::FromVersion(V("0.10.0rc0")),
              IsOkAndHolds(T("v0.10.0-rc0")));
  for (const char* no_tag :
       {"2.4.0a1", "2.4.0b2", "2.5.0.dev20240801", "2.4.0+cu121", "1!2.4.0",
        "2.4.0.post1", "2.4.0.1", "2.4.0rc1.dev1"}) {
    EXPECT_THAT(RcTag::FromVersion(V(no_tag)),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << no_tag;
  }
}

TEST(RcTagTest, OrdersCandidatesBeforeFinal) {
  std::vector<RcTag> tags = {T("v2.4.1-rc1"),  T("v2.4.0"),
                             T("v2.4.0-rc10"), T("v2.4.0-rc2"),
                             T("v2.10.0-rc1"), T("v2.4.0-rc9")};
  std::sort(tags.begin(), tags.end());
  std::vector<std::string> text;
  for (const RcTag& t : tags) text.push_back(t.ToString());
  EXPECT_THAT(text, ElementsAre("v2.4.0-rc2", "v2.4.0-rc9", "v2.4.0-rc10",
                                "v2.4.0", "v2.4.1-rc1", "v2.10.0-rc1"));
  // Tag order agrees with PEP 440 order of the versions.
  for (size_t i = 1; i < tags.size(); ++i) {
    EXPECT_LT(tags[i - 1].version(), tags[i].version());
  }
  EXPECT_TRUE(absl::VerifyTypeImplementsAbslHashCorrectly(
      {T("v2.4.0"), T("v2.4.0-rc1"), T("v2.4.0-rc0"), RcTag()}));
}

TEST(RcTagTest, RoundTripsRealTagListings) {
  int parsed = 0;
  std::vector<std::string> rejected;
  for (const char* file :
       {"tags_pytorch_text_sample.tsv", "tags_pytorch_data_sample.tsv"}) {
    for (const std::string& ref : RefNames(file)) {
      absl::StatusOr<RcTag> tag =
          RcTag::Parse(ref, {.allow_two_component_release = true});
      if (!tag.ok()) {
        rejected.push_back(ref);
        continue;
      }
      ++parsed;
      EXPECT_EQ(tag->ToString(), ref);
      if (ref != "v1.8-rc1") {
        EXPECT_THAT(RcTag::FromVersion(tag->version()), IsOkAndHolds(*tag));
      }
    }
  }
  EXPECT_EQ(parsed, 41);
  EXPECT_THAT(rejected, ElementsAre("0.3.1", "tags/0.4.0", "xl-tm-sd-v1",
                                    "xl-mc-sd-v1", "xl-mc-sd-v2"));
}

// -----------------------------------------------------------------------------
// ReleaseBranch

TEST(ReleaseBranchTest, ParsesBranchAndCutPoint) {
  absl::StatusOr<ReleaseBranch> b = ReleaseBranch::Parse("release/2.4");
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->major(), 2u);
  EXPECT_EQ(b->minor(), 4u);
  EXPECT_FALSE(b->is_orig());
  EXPECT_EQ(b->Orig().ToString(), "orig/release/2.4");
  absl::StatusOr<ReleaseBranch> o = ReleaseBranch::Parse("orig/release/2.10");
  ASSERT_THAT(o, IsOk());
  EXPECT_TRUE(o->is_orig());
  EXPECT_EQ(o->Release().ToString(), "release/2.10");
  EXPECT_EQ(o->ToString(), "orig/release/2.10");
}

TEST(ReleaseBranchTest, RejectsOtherBranchesNamingPosition) {
  struct Case {
    const char* branch;
    const char* position;
  };
  for (const Case& c :
       {Case{"release/2.4.1", "position 11"},
        Case{"release/0.18.0", "position 12"},
        Case{"release/2.6-torchcodec", "position 11"},
        Case{"lts/release/1.8", "position 0"},
        Case{"refs/heads/release/2.4", "position 0"},
        Case{"main", "position 0"}, Case{"release/02.4", "position 8"},
        Case{"release/2", "position 9"},
        Case{"orig/release/", "position 13"}}) {
    EXPECT_THAT(ReleaseBranch::Parse(c.branch),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("invalid release branch"),
                               HasSubstr(c.position))))
        << c.branch;
  }
}

TEST(ReleaseBranchTest, MapsVersionsToBranches) {
  EXPECT_THAT(ReleaseBranch::ForVersion(V("2.4.1")),
              IsOkAndHolds(*ReleaseBranch::Parse("release/2.4")));
  EXPECT_THAT(ReleaseBranch::ForVersion(V("2.5.0rc3")),
              IsOkAndHolds(*ReleaseBranch::Parse("release/2.5")));
  EXPECT_THAT(ReleaseBranch::ForVersion(V("2")),
              IsOkAndHolds(*ReleaseBranch::Parse("release/2.0")));
  EXPECT_THAT(ReleaseBranch::ForVersion(V("1!2.4")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const ReleaseBranch b = *ReleaseBranch::Parse("release/2.14");
  EXPECT_TRUE(b.Contains(V("2.14.0")));
  EXPECT_TRUE(b.Contains(V("2.14.1+cu130")));
  EXPECT_FALSE(b.Contains(V("2.1.4")));
  EXPECT_FALSE(b.Contains(V("1!2.14.0")));
}

TEST(ReleaseBranchTest, OrdersNumerically) {
  const ReleaseBranch b29 = *ReleaseBranch::Parse("release/2.9");
  const ReleaseBranch b210 = *ReleaseBranch::Parse("release/2.10");
  EXPECT_LT(b29, b210);
  EXPECT_LT(b210, b210.Orig());
  EXPECT_TRUE(absl::VerifyTypeImplementsAbslHashCorrectly(
      {b29, b210, b210.Orig(), ReleaseBranch()}));
}

TEST(ReleaseBranchTest, ReadsRealBranchListings) {
  absl::flat_hash_set<ReleaseBranch> branches;
  std::vector<std::string> others;
  for (const char* file : {"release_branches_pytorch_test-infra.tsv",
                           "release_branches_pytorch_text.tsv"}) {
    for (const std::string& ref : RefNames(file)) {
      absl::StatusOr<ReleaseBranch> b = ReleaseBranch::Parse(ref);
      if (!b.ok()) {
        others.push_back(ref);
        continue;
      }
      EXPECT_EQ(b->ToString(), ref);
      branches.insert(*b);
    }
  }
  EXPECT_EQ(branches.size(), 43u);
  // test-infra cuts every release/2.x together with orig/release/2.x.
  for (int minor = 1; minor <= 14; ++minor) {
    absl::StatusOr<ReleaseBranch> b =
        ReleaseBranch::ForVersion(V(absl::StrCat("2.", minor, ".0")));
    ASSERT_THAT(b, IsOk());
    EXPECT_TRUE(branches.contains(*b)) << b->ToString();
    EXPECT_TRUE(branches.contains(b->Orig())) << b->ToString();
  }
  EXPECT_THAT(others, ::testing::UnorderedElementsAre(
                          "main", "main", "release/2.6-torchcodec",
                          "release/2.7-torchcodec", "lts/release/0.9",
                          "lts/release/0.9.2", "orig/lts/release/0.9.2",
                          "release/0.18.0"));
}

// -----------------------------------------------------------------------------
// Nightly versions

TEST(NightlyTest, ReadsDateOfNightlyVersion) {
  EXPECT_THAT(NightlyDate(V("2.5.0.dev20240801")),
              Optional(absl::CivilDay(2024, 8, 1)));
  EXPECT_THAT(NightlyDate(V("2.5.0.dev20240801+cu121")),
              Optional(absl::CivilDay(2024, 8, 1)));
  EXPECT_THAT(NightlyDate(V("2.4.0.dev20240229")),
              Optional(absl::CivilDay(2024, 2, 29)));
  EXPECT_EQ(NightlyDate(V("2.5.0")), std::nullopt);
  EXPECT_EQ(NightlyDate(V("2.5.0a0")), std::nullopt);
  EXPECT_EQ(NightlyDate(V("1.0.dev0")), std::nullopt);
  EXPECT_EQ(NightlyDate(V("1.0.dev20231301")), std::nullopt);
  EXPECT_EQ(NightlyDate(V("1.0.dev20230229")), std::nullopt);
  EXPECT_EQ(NightlyDate(V("1.0.dev20230100")), std::nullopt);
  EXPECT_EQ(NightlyDate(V("1.0.dev2024080")), std::nullopt);
  EXPECT_EQ(NightlyDate(V("1.0.dev202408011")), std::nullopt);
}

TEST(NightlyTest, BuildsNightlyVersion) {
  const absl::CivilDay day(2024, 8, 1);
  EXPECT_THAT(MakeNightlyVersion(V("2.5.0a0"), day),
              IsOkAndHolds(V("2.5.0.dev20240801")));
  absl::StatusOr<Version> cuda = MakeNightlyVersion(V("2.5.0+cu121"), day);
  ASSERT_THAT(cuda, IsOk());
  EXPECT_EQ(cuda->ToString(), "2.5.0.dev20240801+cu121");
  EXPECT_THAT(NightlyDate(*cuda), Optional(day));
  EXPECT_THAT(MakeNightlyVersion(V("2.5.0"), absl::CivilDay(10000, 1, 1)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Nightlies of one base sort by date, and before the release.
  EXPECT_LT(*MakeNightlyVersion(V("2.5.0"), absl::CivilDay(2024, 7, 31)),
            *MakeNightlyVersion(V("2.5.0"), day));
  EXPECT_LT(*MakeNightlyVersion(V("2.5.0"), day), V("2.5.0rc1"));
}

// -----------------------------------------------------------------------------
// Accelerator

TEST(AcceleratorTest, ParsesCudaShortForms) {
  struct Case {
    const char* label;
    std::vector<uint64_t> version;
    const char* dotted;
  };
  for (const Case& c :
       {Case{"cu121", {12, 1}, "12.1"}, Case{"cu118", {11, 8}, "11.8"},
        Case{"cu130", {13, 0}, "13.0"}, Case{"cu92", {9, 2}, "9.2"},
        Case{"+cu102", {10, 2}, "10.2"}, Case{"CU126", {12, 6}, "12.6"}}) {
    absl::StatusOr<Accelerator> a = Accelerator::Parse(c.label);
    ASSERT_THAT(a, IsOk()) << c.label;
    EXPECT_EQ(a->kind(), AcceleratorKind::kCuda);
    EXPECT_THAT(a->version(), ::testing::ElementsAreArray(c.version));
    EXPECT_EQ(a->VersionString(), c.dotted);
    EXPECT_THAT(CudaDottedForm(c.label), IsOkAndHolds(std::string(c.dotted)));
    EXPECT_THAT(Accelerator::Cuda(c.dotted), IsOkAndHolds(*a));
  }
  EXPECT_EQ(A("cu121").ToString(), "cu121");
  EXPECT_EQ(A("+CU92").ToString(), "cu92");
}

TEST(AcceleratorTest, ParsesRocmCpuXpuAndVariants) {
  EXPECT_EQ(A("rocm6.1").kind(), AcceleratorKind::kRocm);
  EXPECT_THAT(A("rocm6.1").version(), ElementsAre(6u, 1u));
  EXPECT_THAT(A("rocm5.4.2").version(), ElementsAre(5u, 4u, 2u));
  EXPECT_EQ(A("rocm5.4.2").VersionString(), "5.4.2");
  EXPECT_EQ(A("rocm6.01").ToString(), "rocm6.1");
  EXPECT_EQ(A("+cpu"), Accelerator::Cpu());
  EXPECT_EQ(A("xpu"), Accelerator::Xpu());
  EXPECT_EQ(A("xpu").VersionString(), "");
  const Accelerator abi = A("cpu.cxx11.abi");
  EXPECT_EQ(abi.kind(), AcceleratorKind::kCpu);
  EXPECT_EQ(abi.variant(), "cxx11.abi");
  EXPECT_EQ(abi.ToString(), "cpu.cxx11.abi");
  EXPECT_EQ(A("CPU-cxx11_ABI"), abi);
  EXPECT_NE(abi, Accelerator::Cpu());
  const Accelerator pypi = A("cu121.with.pypi.cudnn");
  EXPECT_THAT(pypi.version(), ElementsAre(12u, 1u));
  EXPECT_EQ(pypi.variant(), "with.pypi.cudnn");
  EXPECT_EQ(A("rocm6.2.4.foo").variant(), "foo");
}

TEST(AcceleratorTest, RejectsOtherLabelsNamingPosition) {
  struct Case {
    const char* label;
    const char* position;
  };
  for (const Case& c :
       {Case{"", "position 0"}, Case{"+", "position 1"},
        Case{"cuda", "position 2"}, Case{"cu1", "position 2"},
        Case{"cu0121", "position 2"}, Case{"rocm", "position 4"},
        Case{"rocm06.1", "position 4"}, Case{"gpu", "position 0"},
        Case{"+ubuntu1", "position 1"}, Case{"cu121.", "position 6"},
        Case{"cu121..abi", "position 6"}, Case{"cu12 1", "position 4"},
        Case{"cpu1", "position 0"}}) {
    EXPECT_THAT(Accelerator::Parse(c.label),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("invalid accelerator label"),
                               HasSubstr(c.position))))
        << c.label;
  }
}

TEST(AcceleratorTest, ReadsVersionLocalLabel) {
  EXPECT_THAT(Accelerator::FromVersion(V("2.4.0+cu121")),
              IsOkAndHolds(Optional(A("cu121"))));
  EXPECT_THAT(Accelerator::FromVersion(V("2.5.0.dev20240801+rocm6.1")),
              IsOkAndHolds(Optional(A("rocm6.1"))));
  EXPECT_THAT(Accelerator::FromVersion(V("2.1.0+cpu-cxx11-abi")),
              IsOkAndHolds(Optional(A("cpu.cxx11.abi"))));
  EXPECT_THAT(Accelerator::FromVersion(V("2.4.0")),
              IsOkAndHolds(std::optional<Accelerator>()));
  EXPECT_THAT(
      Accelerator::FromVersion(V("1.0+ubuntu1")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1.0+ubuntu1")));
  EXPECT_THAT(WithAccelerator(V("2.4.0"), A("cu121")),
              IsOkAndHolds(V("2.4.0+cu121")));
  absl::StatusOr<Version> replaced =
      WithAccelerator(V("2.5.0.dev20240801+cpu"), A("rocm7.14"));
  ASSERT_THAT(replaced, IsOk());
  EXPECT_EQ(replaced->ToString(), "2.5.0.dev20240801+rocm7.14");
}

TEST(AcceleratorTest, ConvertsBuildMatrixSpellings) {
  // desired_cuda / gpu_arch_version pairs of test-infra's binary build matrix.
  EXPECT_THAT(CudaShortForm("12.6"), IsOkAndHolds(std::string("cu126")));
  EXPECT_THAT(CudaShortForm("13.0"), IsOkAndHolds(std::string("cu130")));
  EXPECT_THAT(CudaShortForm("13.4"), IsOkAndHolds(std::string("cu134")));
  EXPECT_THAT(CudaShortForm("9.2"), IsOkAndHolds(std::string("cu92")));
  EXPECT_THAT(Accelerator::Rocm("7.14"), IsOkAndHolds(A("rocm7.14")));
  EXPECT_THAT(Accelerator::Rocm("6.2.4"), IsOkAndHolds(A("rocm6.2.4")));
  EXPECT_THAT(CudaShortForm("12.10"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("one-digit minor")));
  EXPECT_THAT(CudaShortForm("12"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CudaShortForm("0.9"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CudaShortForm("12.1.0"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CudaDottedForm("rocm6.1"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CudaDottedForm("cu121.with.pypi.cudnn"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Accelerator::Rocm("7."),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AcceleratorTest, OrdersByKindThenNumericVersion) {
  EXPECT_GT(A("rocm7.14"), A("rocm7.2"));
  EXPECT_GT(A("cu130"), A("cu129"));
  EXPECT_LT(A("cu92"), A("cu102"));
  std::vector<Accelerator> all = {
      A("xpu"),      A("rocm6.1"), A("cu130"), A("cpu"),          A("cu118"),
      A("rocm7.14"), A("rocm7.2"), A("cu121"), A("cpu.cxx11.abi")};
  std::sort(all.begin(), all.end());
  std::vector<std::string> labels;
  for (const Accelerator& a : all) labels.push_back(a.ToString());
  EXPECT_THAT(labels,
              ElementsAre("cpu", "cpu.cxx11.abi", "cu118", "cu121", "cu130",
                          "rocm6.1", "rocm7.2", "rocm7.14", "xpu"));
  EXPECT_TRUE(absl::VerifyTypeImplementsAbslHashCorrectly(all));
  EXPECT_EQ(AcceleratorKindName(AcceleratorKind::kRocm), "rocm");
}

// -----------------------------------------------------------------------------
// Bumps

TEST(BumpTest, BumpsMinorAndPatch) {
  EXPECT_THAT(NextMinor(V("2.4.1")), IsOkAndHolds(V("2.5.0")));
  EXPECT_EQ(NextMinor(V("2.9.0"))->ToString(), "2.10.0");
  EXPECT_EQ(NextMinor(V("2.5.0a0"))->ToString(), "2.6.0");
  EXPECT_EQ(NextPatch(V("2.4.0"))->ToString(), "2.4.1");
  EXPECT_EQ(NextPatch(V("2.4"))->ToString(), "2.4.1");
  EXPECT_EQ(NextPatch(V("2.4.1+cu121"))->ToString(), "2.4.2");
  EXPECT_THAT(NextMinor(V("1!2.4")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      NextPatch(V("1.2.18446744073709551615")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("overflow")));
}

TEST(BumpTest, BumpsMainBranchVersionTxt) {
  absl::StatusOr<Version> next = NextMainVersion(V("2.5.0a0"));
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->ToString(), "2.6.0a0");
  EXPECT_EQ(NextMainVersion(V("2.9.0a0"))->ToString(), "2.10.0a0");
}

TEST(BumpTest, PicksNextRcTagFromRealListings) {
  const std::vector<std::string> text =
      RefNames("tags_pytorch_text_sample.tsv");
  const std::vector<std::string> data =
      RefNames("tags_pytorch_data_sample.tsv");
  // 0.15.0 has rc1-4, rc6, rc7 and no final tag.
  EXPECT_THAT(NextRcTag(V("0.15.0"), text), IsOkAndHolds(T("v0.15.0-rc8")));
  // v1.8-rc1 counts for 1.8.0.
  EXPECT_THAT(NextRcTag(V("1.8"), text), IsOkAndHolds(T("v1.8.0-rc2")));
  EXPECT_THAT(NextRcTag(V("0.19.0"), text), IsOkAndHolds(T("v0.19.0-rc1")));
  EXPECT_THAT(
      NextRcTag(V("0.17.2"), text),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("v0.17.2")));
  EXPECT_THAT(NextRcTag(V("0.10.1"), data),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(NextRcTag(V("0.12.0"), data), IsOkAndHolds(T("v0.12.0-rc1")));
  const std::vector<std::string> only_rc0 = {"v0.11.0-rc0"};
  EXPECT_THAT(NextRcTag(V("0.11.0"), only_rc0), IsOkAndHolds(T("v0.11.0-rc1")));
  EXPECT_THAT(NextRcTag(V("0.15.0rc1"), text),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(NextRcTag(V("0.15.0.dev1"), text),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace relkit
