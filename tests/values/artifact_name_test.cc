#include "relkit/artifact_name.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relkit/version.h"
#include "testing/status_matchers.h"

namespace relkit {
namespace {

using ::relkit::testing::IsOk;
using ::relkit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Version V(absl::string_view text) { return *Version::Parse(text); }

// Returns true when the glob `*<name>-<version>*` of promote.sh (aws s3 cp
// --include, where `*` matches anything, `/` included) matches `key`.
bool GlobMatches(absl::string_view key, absl::string_view name,
                 absl::string_view version) {
  return key.find(absl::StrCat(name, "-", version)) != absl::string_view::npos;
}

std::vector<std::string> Selected(const std::vector<std::string>& keys,
                                  absl::string_view package,
                                  absl::string_view version) {
  return SelectArtifacts(keys, package, V(version)).keys;
}

TEST(ArtifactNameTest, GlobTakesTorch2410WhenPromotingTorch241RelkitDoesNot) {
  const std::vector<std::string> keys = {
      "whl/test/cu121/torch-2.4.1+cu121-cp312-cp312-linux_x86_64.whl",
      "whl/test/cu121/torch-2.4.10+cu121-cp312-cp312-linux_x86_64.whl",
      "whl/test/cpu/torch-2.4.1%2Bcpu-cp39-cp39-win_amd64.whl",
      "whl/test/cpu/torch-2.4.10%2Bcpu-cp39-cp39-win_amd64.whl",
  };
  EXPECT_TRUE(GlobMatches(keys[1], "torch", "2.4.1"));
  EXPECT_TRUE(GlobMatches(keys[3], "torch", "2.4.1"));
  EXPECT_THAT(Selected(keys, "torch", "2.4.1"), ElementsAre(keys[0], keys[2]));
  EXPECT_THAT(Selected(keys, "torch", "2.4.10"), ElementsAre(keys[1], keys[3]));
}

TEST(ArtifactNameTest, GlobTakesExecutorchWhenPromotingTorch100RelkitDoesNot) {
  const std::vector<std::string> keys = {
      "whl/test/cpu/torch-1.0.0-cp37-cp37m-linux_x86_64.whl",
      "whl/test/cpu/executorch-1.0.0-cp312-cp312-linux_x86_64.whl",
      "whl/test/cpu/executorch-1.0.0+cpu-cp312-cp312-manylinux_2_28_x86_64."
      "whl",
  };
  EXPECT_TRUE(GlobMatches(keys[1], "torch", "1.0.0"));
  EXPECT_TRUE(GlobMatches(keys[2], "torch", "1.0.0"));
  EXPECT_THAT(Selected(keys, "torch", "1.0.0"), ElementsAre(keys[0]));
  EXPECT_THAT(Selected(keys, "executorch", "1.0.0"),
              ElementsAre(keys[1], keys[2]));
}

TEST(ArtifactNameTest, GlobTakesPytorchTritonWhenPromotingTritonRelkitDoesNot) {
  const std::vector<std::string> keys = {
      "whl/test/triton-3.1.0-cp312-cp312-manylinux_2_27_x86_64.whl",
      "whl/test/pytorch_triton-3.1.0-cp312-cp312-linux_x86_64.whl",
      "whl/test/rocm6.2/pytorch_triton_rocm-3.1.0-cp312-cp312-linux_x86_64."
      "whl",
  };
  EXPECT_TRUE(GlobMatches(keys[1], "triton", "3.1.0"));
  EXPECT_THAT(Selected(keys, "triton", "3.1.0"), ElementsAre(keys[0]));
  EXPECT_THAT(Selected(keys, "pytorch-triton", "3.1.0"), ElementsAre(keys[1]));
  EXPECT_THAT(Selected(keys, "pytorch_triton_rocm", "3.1.0"),
              ElementsAre(keys[2]));
}

TEST(ArtifactNameTest, SelectsByPep440EqualityAndCanonicalName) {
  const std::vector<std::string> keys = {
      "whl/test/cu124/Torch_Vision-0.19.1+cu124-cp310-cp310-linux_x86_64.whl",
      "whl/test/cu124/torchvision-0.19.1rc1+cu124-cp310-cp310-linux_x86_64."
      "whl",
      "whl/test/cu124/torchvision-0.19.1.post1-cp310-cp310-linux_x86_64.whl",
      "whl/test/torchvision/index.html",
      "whl/test/cu124/torchvision-0.19.1+cu124-cp310-cp310-linux_x86_64.whl."
      "metadata",
      "whl/test/torchvision-0.19.1.tar.gz",
      "whl/test/notes-torchvision-0.19.1.txt",
  };
  // "torch_vision" and "torchvision" are different projects.
  EXPECT_THAT(Selected(keys, "torchvision", "0.19.1"),
              ElementsAre(keys[4], keys[5]));
  EXPECT_THAT(Selected(keys, "torch.vision", "0.19.1.0"), ElementsAre(keys[0]));
}

TEST(ArtifactNameTest, ParsesEveryLibtorchZipOfTheChannels) {
  struct Case {
    const char* name;
    ArtifactKind kind;
    const char* variant;
    const char* version;
    const char* accelerator;
  };
  for (const Case& c : std::vector<Case>{
           {"libtorch-shared-with-deps-2.4.1%2Bcu121.zip",
            ArtifactKind::kLibtorch, "shared-with-deps", "2.4.1+cu121",
            "cu121"},
           {"libtorch-cxx11-abi-shared-with-deps-2.4.1+cpu.zip",
            ArtifactKind::kLibtorch, "cxx11-abi-shared-with-deps", "2.4.1+cpu",
            "cpu"},
           {"libtorch-win-shared-with-deps-debug-2.4.1%2Bcu124.zip",
            ArtifactKind::kLibtorch, "win-shared-with-deps-debug",
            "2.4.1+cu124", "cu124"},
           {"libtorch-macos-arm64-2.4.1.zip", ArtifactKind::kLibtorch,
            "macos-arm64", "2.4.1", ""},
           {"libtorch-macos-x86_64-2.2.0.zip", ArtifactKind::kLibtorch,
            "macos-x86_64", "2.2.0", ""},
           {"libtorch-shared-with-deps-2.5.0%2Brocm6.2.zip",
            ArtifactKind::kLibtorch, "shared-with-deps", "2.5.0+rocm6.2",
            "rocm6.2"},
           {"libtorch-win-shared-with-deps-debug-latest.zip",
            ArtifactKind::kLibtorchLatest, "win-shared-with-deps-debug", "",
            ""},
           {"libtorch-cxx11-abi-shared-with-deps-latest.zip",
            ArtifactKind::kLibtorchLatest, "cxx11-abi-shared-with-deps", "",
            ""},
       }) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<ArtifactName> a = ParseArtifactName(c.name);
    ASSERT_THAT(a.status(), IsOk());
    EXPECT_EQ(a->kind, c.kind);
    EXPECT_EQ(a->package, "libtorch");
    EXPECT_EQ(a->variant, c.variant);
    EXPECT_EQ(a->version ? a->version->ToString() : "", c.version);
    EXPECT_EQ(a->accelerator, c.accelerator);
    EXPECT_EQ(a->file_name, c.name);
  }
}

TEST(ArtifactNameTest, SelectsLibtorchZipsButNeverTheLatestPointers) {
  const std::vector<std::string> keys = {
      "libtorch/test/cu121/libtorch-shared-with-deps-2.4.1%2Bcu121.zip",
      "libtorch/test/cu121/libtorch-shared-with-deps-2.4.10%2Bcu121.zip",
      "libtorch/test/cu121/libtorch-shared-with-deps-latest.zip",
      "libtorch/test/cu121/libtorch-win-shared-with-deps-debug-2.4.1%2Bcu121."
      "zip",
      "libtorch/test/cpu/libtorch-macos-arm64-2.4.1.zip",
      "libtorch/test/cu121/libtorch-shared-with-deps-2.4.1rc2%2Bcu121.zip",
  };
  EXPECT_THAT(Selected(keys, "libtorch", "2.4.1"),
              ElementsAre(keys[0], keys[3], keys[4]));
  // The glob of promote.sh for libtorch takes 2.4.10 too.
  EXPECT_TRUE(GlobMatches(keys[1], "deps", "2.4.1"));
  // A torch promotion takes no libtorch zip.
  EXPECT_THAT(Selected(keys, "torch", "2.4.1"), IsEmpty());
}

TEST(ArtifactNameTest, OtherFilesAreOtherAndMalformedOnesAreErrors) {
  EXPECT_EQ(ParseArtifactName("index.html")->kind, ArtifactKind::kIndexPage);
  EXPECT_EQ(ParseArtifactName("README")->kind, ArtifactKind::kOther);
  EXPECT_EQ(ParseArtifactName("torch-2.4.1.zip")->kind, ArtifactKind::kOther);
  EXPECT_EQ(ArtifactKindName(ArtifactKind::kLibtorchLatest), "libtorch-latest");
  EXPECT_THAT(ParseArtifactName("torch-2.4.1.whl").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("torch-2.4.1.whl")));
  EXPECT_THAT(
      ParseArtifactName("libtorch-shared-with-deps-2.4.x.zip").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at byte 26")));
  EXPECT_THAT(
      ParseArtifactName("libtorch-Shared-2.4.1.zip").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at byte 9")));
  EXPECT_THAT(ParseArtifactName("libtorch-2.4.1.zip").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      ParseArtifactName("a/b.whl").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("byte 1")));

  // A malformed key is never selected, and the selection says why.
  const std::vector<std::string> keys = {
      "whl/test/torch-2.4.1-x.whl", "whl/test/torch-2.4.1-py3-none-any.whl"};
  ArtifactSelection s = SelectArtifacts(keys, "torch", V("2.4.1"));
  EXPECT_THAT(s.keys, ElementsAre(keys[1]));
  EXPECT_THAT(s.unreadable, ElementsAre(Field(&UnreadableKey::key, keys[0])));
  EXPECT_EQ(KeyBaseName("a/b/c.whl"), "c.whl");
  EXPECT_EQ(KeyBaseName("c.whl"), "c.whl");
}

}  // namespace
}  // namespace relkit
