#include "relkit/commit_message.h"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace relkit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

// ---------------------------------------------------------------------------
// The real samples (tests/data/commit_message_samples.txt, see SOURCES.md).

struct Sample {
  std::string sha;
  std::string message;
};

// Splits the samples file at `=====<sha>=====` lines; drops the Author/Date
// header of each entry and the `## X.` section lines between entries.
std::vector<Sample> LoadSamples() {
  std::ifstream in(std::string(RELKIT_TEST_DATA_DIR) +
                   "/commit_message_samples.txt");
  std::stringstream buf;
  buf << in.rdbuf();
  std::vector<Sample> out;
  std::vector<std::string> lines = absl::StrSplit(buf.str(), '\n');
  std::vector<std::string> msg;
  auto flush = [&] {
    if (out.empty()) return;
    while (!msg.empty() && absl::StartsWith(msg.back(), "## ")) msg.pop_back();
    out.back().message = absl::StrJoin(msg, "\n");
    msg.clear();
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.size() == 50 && absl::StartsWith(l, "=====") &&
        absl::EndsWith(l, "=====")) {
      flush();
      out.push_back(Sample{l.substr(5, 40), ""});
      i += 3;  // Author:, Date:, blank
      continue;
    }
    if (!out.empty()) msg.push_back(l);
  }
  flush();
  return out;
}

struct Expected {
  std::string sha12;
  std::optional<std::string> title;  // nullopt: equals the subject
  std::vector<uint64_t> title_prs;
  std::vector<uint64_t> resolved;
  std::vector<std::string> cherry;
  std::vector<std::string> reverts;
  RevertKind kind;
  std::optional<std::string> reverted_title;
  bool truncated;
  std::optional<uint64_t> ghstack;
  std::optional<std::string> diff;
};

constexpr RevertKind kNo = RevertKind::kNone;
constexpr RevertKind kRev = RevertKind::kRevert;
constexpr RevertKind kRe = RevertKind::kReapply;
const std::optional<std::string> kNoStr;
const std::optional<uint64_t> kNoNum;

// What each sample yields, written by reading the samples.
const std::vector<Expected>& Table() {
  static const auto* t = new std::vector<Expected>{
      // A. executorch main: reverts / reapplies
      {"a886f38702c1",
       kNoStr,
       {},
       {},
       {},
       {"4019e4c0addc6eda8e1af6cf4c4fac5d02684720"},
       kRev,
       "[xnnpack] Support bf16 delegation for fully-connected (#21409)",
       false,
       kNoNum,
       kNoStr},
      {"b3d69a98ed63",
       kNoStr,
       {},
       {},
       {},
       {"82a63fd130300f2556d45c861b631280c2085e4c"},
       kRev,
       "Use const_data_ptr/mutable_data_ptr instead of deprecated data_ptr "
       "(#\xE2\x80\xA6",
       true,
       kNoNum,
       kNoStr},
      {"4f3ac178a638",
       "Revert \"Revert \"Qualcomm AI Engine Direct - heap profiling at "
       "runtime with HTP backend\" (#19705)\" (#19710)",
       {19710},
       {},
       {},
       {"576ed77ecb0e"},
       kRe,
       "Revert \"Qualcomm AI Engine Direct - heap profiling at runtime with "
       "HTP backend\" (#19705)",
       false,
       kNoNum,
       kNoStr},
      {"e6bf1492a4fc",
       kNoStr,
       {19620},
       {},
       {},
       {"7355d7b52d622f01db1b6f61b4e30678817df4f3"},
       kRev,
       "Add grammar fields to GenerationConfig for constrained decoding",
       false,
       kNoNum,
       kNoStr},
      {"0852840b3328",
       kNoStr,
       {19178},
       {},
       {},
       {"476a7ef427cc4b78c8767b7ed6f3b7db82642867"},
       kRev,
       "Add recurrent gated delta rule custom op for Qwen3.5 "
       "attentio\xE2\x80\xA6",
       true,
       kNoNum,
       kNoStr},
      {"79b799dcaf11",
       kNoStr,
       {19168},
       {},
       {},
       {"4b674beabf0c77a027d556b4dac61b7994a1ae1e"},
       kRev,
       "Update XNNPACK dependency to 1adaa7c70 (#18131)",
       false,
       kNoNum,
       kNoStr},
      {"2e35799a985a",
       kNoStr,
       {},
       {},
       {},
       {"bc469e79f23bf54d870460b6c28d05aa429192ae"},
       kRev,
       "Arm backend: Run adaptive_avg_pool2d before quantization (#17494)",
       false,
       kNoNum,
       kNoStr},
      // A squashed pin bump whose body quotes another repository's revert.
      {"2150b0d97ec4",
       kNoStr,
       {17569},
       {},
       {},
       {"08e1b399e4fafcecc78c1941b6331782f7d65469"},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D93019471"},
      {"78237921f268",
       kNoStr,
       {17288},
       {},
       {},
       {"52bdacc16b40448a9f2993229474f4cf665347b2"},
       kRev,
       "Arm backend: Make setting artifact_path optional for tests",
       false,
       kNoNum,
       kNoStr},
      {"40d94b6d62a1",
       kNoStr,
       {17014},
       {},
       {},
       {"b6b940a17faac1e642f899f1f7a6b885c390314d"},
       kRev,
       "Qualcomm AI Engine Direct - Optimize UT execution time (#16865)",
       false,
       kNoNum,
       kNoStr},
      {"429f014819c9",
       kNoStr,
       {16914},
       {},
       {},
       {"b5fe947f551df20c898503e85049f79e4a85ec17"},
       kRev,
       "Arm backend: Add support for aten.slice_copy with non-unit "
       "st\xE2\x80\xA6",
       true,
       kNoNum,
       kNoStr},
      {"403b03ea0e13",
       "Revert \"[cortex_m] Fix linear weight layout: transpose in AOT pass, "
       "align meta/ref impl (#16782)\" (#16910)",
       {16910},
       {},
       {},
       {"06f10b9d71f44bc5d30fc4ab456a332d0b5bddd4"},
       kRev,
       "[cortex_m] Fix linear weight layout: transpose in AOT pass, align "
       "meta/ref impl (#16782)",
       false,
       kNoNum,
       kNoStr},
      // GitHub squash of a reapply: title is the PR's, body starts Reapply.
      {"e7eea5874fdd",
       kNoStr,
       {15847},
       {},
       {},
       {"0c0cee5fd5adfff71fdf896181c51ba984427f48"},
       kRe,
       kNoStr,
       false,
       kNoNum,
       kNoStr},
      {"bda5173ff7e4",
       kNoStr,
       {15362},
       {},
       {},
       {"8ce3095d3d3b8358fb93009ac54ab92e25a81265"},
       kRev,
       "Runner logs (#15279)",
       false,
       kNoNum,
       kNoStr},
      {"a7d4c5b51fff",
       kNoStr,
       {15064},
       {},
       {},
       {"f32cdc3de6f7176d70a80228f1a60bcd45d93437"},
       kRev,
       "pin bump with better architecture (#15040)",
       false,
       kNoNum,
       kNoStr},
      // B. executorch release/0.4: cherry-picks
      {"d59a5118c445",
       kNoStr,
       {6319},
       {6298},
       {"ad0e5e81c71b1cadaeaaf85cdb9a6d0c78d0f67e"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64481537"},
      {"da2cd5b1d14d",
       kNoStr,
       {6328},
       {6276},
       {"6b858f2a7e1ec749ca78517d4f3eec35967738c7"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64449105"},
      {"8dd777495f78",
       kNoStr,
       {6218, 6259},
       {6231},
       {"3e052a8908c2223020fb997d3ea79af85c948268"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64375318"},
      {"0f17eb10be0f",
       kNoStr,
       {6185},
       {6084},
       {"5512fe09155c06ced840e5d7e661c2d4fec09c8c"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64152344"},
      // `Summary: Pull Request resolved: ...` on one line.
      {"52ebd2c600f4",
       kNoStr,
       {6216},
       {6198},
       {"bff26f3e55c9ad995a2e6ee0b2e7c1cdeccdf460"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64352860"},
      {"f7ce18e166c3",
       kNoStr,
       {6244},
       {5344},
       {"4357230379262b07fec481adabab585f484cd8b2"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D62634494"},
      {"ddee09f5d70e",
       kNoStr,
       {6316},
       {6307},
       {"6a27cd11e942d63495bc2e7997872ad7c16fb16b"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64501085"},
      {"573ad9659426",
       kNoStr,
       {6315},
       {6299},
       {"ec1c431c71d65e927533bd1f4a46e87ed7cbf9a2"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64485281"},
      {"a060791b2751",
       kNoStr,
       {6306},
       {6305},
       {"e86cb3aaf5b5b469a4133f71476ace3d96be087f"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64498415"},
      {"7fedb2f1413a",
       kNoStr,
       {6294},
       {6290},
       {"49395c2a885881c403b4f3af077f31c7c5baa3ff"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64475405"},
      {"620d7ea9b1a1",
       kNoStr,
       {6283},
       {6236},
       {"86735672597324559039a17416be70f3f766374f"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64407042"},
      // A manual `git cherry-pick -x` with no merge-bot trailers.
      {"3b4b9d2d7c40",
       kNoStr,
       {6182},
       {},
       {"411377ec500622d91f269bc32a87dd8eec3970de"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       kNoStr},
      {"6fa454cedf2c",
       kNoStr,
       {6177},
       {6125},
       {"722bced8b0bdbcc7cba172dc6f7697042c757eb6"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64198599"},
      {"f17c9e19ad53",
       kNoStr,
       {6064},
       {6051},
       {"9364c06e050e8887246cf3b85caf8fab23bce7c6"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D64119638"},
      {"6e788c7297ee",
       kNoStr,
       {6132},
       {5805},
       {"c10c96a3a0fb90bfbe4b04d99b354863b052b1db"},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       "D63734251"},
      // C. executorch main: ghstack
      {"84f541ca9a45",
       kNoStr,
       {},
       {21994},
       {},
       {},
       kNo,
       kNoStr,
       false,
       417637897,
       "D116509340"},
      {"a0f860b67c69",
       kNoStr,
       {},
       {21993},
       {},
       {},
       kNo,
       kNoStr,
       false,
       417637892,
       "D116841489"},
      {"e4f6748c4433",
       kNoStr,
       {},
       {21521},
       {},
       {},
       kNo,
       kNoStr,
       false,
       409188517,
       "D114382687"},
      {"4dab143dd0f2",
       kNoStr,
       {},
       {21520},
       {},
       {},
       kNo,
       kNoStr,
       false,
       409188434,
       "D114382686"},
      {"d95b40922460",
       kNoStr,
       {},
       {21519},
       {},
       {},
       kNo,
       kNoStr,
       false,
       409188383,
       "D114382683"},
      {"a1d4d358169a",
       kNoStr,
       {},
       {21410},
       {},
       {},
       kNo,
       kNoStr,
       false,
       407467887,
       "D113810097"},
      {"e43f7e55b9e5",
       kNoStr,
       {},
       {21403},
       {},
       {},
       kNo,
       kNoStr,
       false,
       407467872,
       "D113786993"},
      {"266e0dc4556d",
       kNoStr,
       {},
       {21064},
       {},
       {},
       kNo,
       kNoStr,
       false,
       405400514,
       "D112906313"},
      {"bd7991f4f505",
       kNoStr,
       {},
       {21063},
       {},
       {},
       kNo,
       kNoStr,
       false,
       405400503,
       "D112906311"},
      {"ff9b4c5034b5",
       kNoStr,
       {},
       {21062},
       {},
       {},
       kNo,
       kNoStr,
       false,
       405400496,
       "D112906312"},
      // D. test-infra: a body that quotes (indented) revert blocks: none of
      // the quoted reverts, PR URLs or "Reverted ... on behalf of" count.
      {"b3360000aeac",
       kNoStr,
       {7608},
       {},
       {},
       {},
       kNo,
       kNoStr,
       false,
       kNoNum,
       kNoStr},
  };
  return *t;
}

std::vector<uint64_t> Numbers(const std::vector<GitHubRef>& refs) {
  std::vector<uint64_t> out;
  for (const GitHubRef& r : refs) out.push_back(r.number);
  return out;
}

TEST(CommitMessageSamplesTest, EverySampleParsesAndYieldsWhatTheTableSays) {
  std::vector<Sample> samples = LoadSamples();
  ASSERT_EQ(samples.size(), 41u);
  ASSERT_EQ(Table().size(), samples.size());
  std::map<std::string, const Sample*> by_sha;
  for (const Sample& s : samples) by_sha[s.sha.substr(0, 12)] = &s;
  for (const Expected& e : Table()) {
    SCOPED_TRACE(e.sha12);
    ASSERT_EQ(by_sha.count(e.sha12), 1u);
    const std::string& raw = by_sha[e.sha12]->message;
    CommitMessage m = CommitMessage::Parse(raw);
    EXPECT_EQ(m.subject, raw.substr(0, raw.find('\n')));
    EXPECT_EQ(m.title, e.title.value_or(m.subject));
    EXPECT_EQ(m.title_prs, e.title_prs);
    EXPECT_EQ(Numbers(m.resolved_prs), e.resolved);
    EXPECT_EQ(m.cherry_picked_from, e.cherry);
    EXPECT_EQ(m.reverted_commits, e.reverts);
    EXPECT_EQ(m.revert_kind, e.kind);
    EXPECT_EQ(m.reverted_title, e.reverted_title);
    EXPECT_EQ(m.title_truncated, e.truncated);
    EXPECT_EQ(m.ghstack_source_id, e.ghstack);
    EXPECT_EQ(m.differential_revision, e.diff);
    EXPECT_FALSE(m.reverted_pr.has_value());
    EXPECT_THAT(m.fixes, IsEmpty());
    EXPECT_EQ(m.title.find('\n'), std::string::npos);
    for (const GitHubRef& r : m.resolved_prs) {
      EXPECT_EQ(r.owner, "pytorch");
      EXPECT_EQ(r.repo, "executorch");
    }
  }
}

TEST(CommitMessageSamplesTest, CherryPickKeepsTheMainPrAsItsOwn) {
  for (const Sample& s : LoadSamples()) {
    if (!absl::StartsWith(s.sha, "8dd777495f78")) continue;
    CommitMessage m = CommitMessage::Parse(s.message);
    EXPECT_THAT(m.OwnPr(), Optional(6231u));
    EXPECT_THAT(m.PrNumbers(), ElementsAre(6218u, 6231u, 6259u));
    EXPECT_TRUE(m.MentionsPr(6259));
    EXPECT_FALSE(m.MentionsPr(625));
    EXPECT_FALSE(m.MentionsPr(62310));
    EXPECT_EQ(m.bare_title, "Update landing page to include Llama");
  }
}

TEST(CommitMessageSamplesTest, RecognisedTrailersKeepTheirOrder) {
  for (const Sample& s : LoadSamples()) {
    if (!absl::StartsWith(s.sha, "f17c9e19ad53")) continue;
    CommitMessage m = CommitMessage::Parse(s.message);
    std::vector<std::string> keys;
    for (const Trailer& t : m.trailers) keys.push_back(t.key);
    EXPECT_THAT(keys, ElementsAre("Pull Request resolved", "Reviewed By",
                                  "Differential Revision", "fbshipit-source-id",
                                  "Co-authored-by", "Co-authored-by"));
    EXPECT_EQ(m.trailers.back().value,
              "Anthony Shoumikhin <anthony@shoumikh.in>");
  }
}

// ---------------------------------------------------------------------------
// Forms the samples do not cover (from trymerge.py conventions).

TEST(CommitMessageTest, MergeBotRevertNamesTheRevertedPrSeparately) {
  CommitMessage m = CommitMessage::Parse(
      "Revert \"Support exception traceback (#170299)\"\n\n"
      "This reverts commit 9ca5d325e95f1520345f2fb6e94c4d8954cc089f.\n\n"
      "Reverted https://github.com/pytorch/pytorch/pull/170299 on behalf of "
      "https://github.com/albanD due to Breaks lint ([comment](https://x))\n");
  EXPECT_TRUE(m.is_revert());
  ASSERT_TRUE(m.reverted_pr.has_value());
  EXPECT_EQ(m.reverted_pr->number, 170299u);
  EXPECT_EQ(m.reverted_pr->ToString(), "pytorch/pytorch#170299");
  EXPECT_THAT(m.PrNumbers(), IsEmpty());  // 170299 is not this commit's PR
  EXPECT_FALSE(m.OwnPr().has_value());
}

TEST(CommitMessageTest, ApprovedByGhstackDependenciesAndFixes) {
  CommitMessage m = CommitMessage::Parse(
      "[inductor] Fix padding (#1234)\n\n"
      "Fixes #123\nAlso fixes: https://github.com/pytorch/pytorch/issues/99\n"
      "Closes #12a and prefixes #7\n\n"
      "Pull Request resolved: https://github.com/pytorch/pytorch/pull/1234\n"
      "Approved by: https://github.com/alice, https://github.com/bob\n"
      "ghstack dependencies: #1230, #1231\n");
  EXPECT_THAT(m.OwnPr(), Optional(1234u));
  EXPECT_THAT(m.approved_by, ElementsAre("https://github.com/alice",
                                         "https://github.com/bob"));
  ASSERT_EQ(m.fixes.size(), 2u);
  EXPECT_EQ(m.fixes[0].number, 123u);
  EXPECT_TRUE(m.fixes[0].owner.empty());
  EXPECT_EQ(m.fixes[1].ToString(), "pytorch/pytorch#99");
  EXPECT_EQ(m.trailers.back().key, "ghstack dependencies");
}

TEST(CommitMessageTest, PrNumbersMatchExactly) {
  CommitMessage m = CommitMessage::Parse(
      "Title (#123)\n\n"
      "Pull Request resolved: https://github.com/pytorch/pytorch/pull/1234\n");
  EXPECT_TRUE(m.MentionsPr(123));
  EXPECT_TRUE(m.MentionsPr(1234));
  EXPECT_FALSE(m.MentionsPr(12));
  EXPECT_FALSE(m.MentionsPr(12345));
  CommitMessage glued = CommitMessage::Parse(
      "x\n\nPull Request resolved: https://github.com/o/r/pull/123abc\n");
  EXPECT_THAT(glued.resolved_prs, IsEmpty());
}

TEST(CommitMessageTest, TitleSuffixesNeedParenthesesAndASpace) {
  EXPECT_EQ(SplitTitlePrSuffixes("T (#1) (#2)").first,
            (std::vector<uint64_t>{1, 2}));
  EXPECT_THAT(SplitTitlePrSuffixes("T(#1)").first, IsEmpty());
  EXPECT_THAT(SplitTitlePrSuffixes("T (#)").first, IsEmpty());
  EXPECT_THAT(SplitTitlePrSuffixes("T (#1a)").first, IsEmpty());
  EXPECT_THAT(SplitTitlePrSuffixes("T (#99999999999999999999)").first,
              IsEmpty());
  EXPECT_EQ(SplitTitlePrSuffixes("Revert \"X (#1)\" (#2)").second,
            "Revert \"X (#1)\"");
}

// References go through ParseGitHubRef (relkit/github_ref.h), which holds
// two fixes: a number that fits in 64 bits is read whatever its length (as
// the file comment promises; 20-digit numbers were dropped before), and a
// URL names a GitHub owner and repository (no `o(x`, no `.`).
TEST(CommitMessageTest, ReferencesAreReadAsGitHubRefReadsThem) {
  EXPECT_EQ(SplitTitlePrSuffixes("T (#18446744073709551615)").first,
            (std::vector<uint64_t>{18446744073709551615u}));
  EXPECT_EQ(SplitTitlePrSuffixes("T (#00000000000000000001)").first,
            (std::vector<uint64_t>{1}));
  CommitMessage m = CommitMessage::Parse(
      "x\n\nFixes #10000000000000000000\n"
      "Pull Request resolved: https://github.com/o(x/r/pull/5\n"
      "Pull-Request: https://github.com/o/../pull/6\n"
      "Pull-Request: https://github.com/o/r.git/pull/7/files\n");
  ASSERT_EQ(m.fixes.size(), 1u);
  EXPECT_EQ(m.fixes[0].number, 10000000000000000000u);
  ASSERT_EQ(m.resolved_prs.size(), 1u);
  EXPECT_EQ(m.resolved_prs[0].ToString(), "o/r.git#7");
  // Only lower-case http(s) URLs on github.com count, as before.
  for (absl::string_view url :
       {"HTTPS://github.com/o/r/pull/5", "https://GitHub.com/o/r/pull/5",
        "https://ghe.example.com/o/r/pull/5", "https://github.com/o/r/pulls/5",
        "github.com/o/r/pull/5"}) {
    EXPECT_THAT(CommitMessage::Parse(
                    absl::StrCat("x\n\nPull Request resolved: ", url, "\n"))
                    .resolved_prs,
                IsEmpty())
        << url;
  }
  // `Fixes` takes `#N` or an issue URL, not `owner/repo#N`.
  EXPECT_THAT(CommitMessage::Parse("Fixes o/r#5").fixes, IsEmpty());
}

TEST(CommitMessageTest, RelandFormsAreReapplies) {
  EXPECT_EQ(CommitMessage::Parse("Reland \"x\" (#5)").revert_kind,
            RevertKind::kReapply);
  EXPECT_EQ(CommitMessage::Parse("[reland] x (#5)").revert_kind,
            RevertKind::kReapply);
  EXPECT_EQ(CommitMessage::Parse("Reapply \"x (#4)\"\n\nThis reverts commit "
                                 "abcdef1.\n")
                .revert_kind,
            RevertKind::kReapply);
  EXPECT_EQ(CommitMessage::Parse("Back out \"x\"\n").revert_kind,
            RevertKind::kRevert);
  EXPECT_EQ(CommitMessage::Parse("Revert the thing\n").revert_kind,
            RevertKind::kNone);
}

TEST(CommitMessageTest, NormalizedTitleDropsReleaseMarkersAndSuffixes) {
  EXPECT_EQ(NormalizeTitle("[release/2.4] Fix  CUDA   init (#1) (#2)"),
            "fix cuda init");
  EXPECT_EQ(NormalizeTitle("[Release 2.4][cherry-pick] Fix CUDA init"),
            "fix cuda init");
  EXPECT_EQ(NormalizeTitle("Cherry-pick: Fix CUDA init (#9)"), "fix cuda init");
  EXPECT_EQ(NormalizeTitle("[ET-VK] Fix"), "[et-vk] fix");
}

TEST(CommitMessageTest, EdgeInputsNeverCrash) {
  for (absl::string_view in :
       {absl::string_view(""), absl::string_view("\n\n\n"),
        absl::string_view("Revert \""), absl::string_view("\xE2\x80\xA6 (#1)"),
        absl::string_view("x (#1)\n\n\xE2\x80\xA6"),
        absl::string_view("x\n\nThis reverts commit "),
        absl::string_view("x\n\n(cherry picked from commit zzz)"),
        absl::string_view("\0\0", 2)}) {
    CommitMessage m = CommitMessage::Parse(in);
    EXPECT_EQ(m.title.find('\n'), std::string::npos);
  }
  CommitMessage crlf = CommitMessage::Parse(
      "Fix (#1)\r\n\r\n(cherry picked from commit "
      "ABCDEF0123456789abcdef0123456789abcdef01)\r\n");
  EXPECT_EQ(crlf.subject, "Fix (#1)");
  EXPECT_THAT(crlf.cherry_picked_from,
              ElementsAre("abcdef0123456789abcdef0123456789abcdef01"));
}

}  // namespace
}  // namespace relkit
