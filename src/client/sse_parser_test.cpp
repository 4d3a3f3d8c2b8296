#include "client/sse_parser.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace servebench::client {
namespace {

struct Seen {
  std::string data;
  int64_t read_ns;
  uint64_t offset;
  bool operator==(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Seen& s) {
  return os << "{" << testing::PrintToString(s.data) << " @" << s.read_ns << " off " << s.offset
            << "}";
}

class Collector : public SseSink {
 public:
  bool OnSseEvent(const SseEvent& event) override {
    // The padding promise: kEventPadding bytes after the data are readable (ASan checks it).
    volatile char last = event.data.data()[event.data.size() + kEventPadding - 1];
    (void)last;
    seen.push_back({std::string(event.data), event.read_ns, event.body_offset});
    return stop_after == 0 || seen.size() < stop_after;
  }
  std::vector<Seen> seen;
  size_t stop_after = 0;
};

// Feeds `body` in reads that end at the given cut offsets; read k has timestamp k + 1.
std::vector<Seen> FeedCuts(std::string_view body, const std::vector<size_t>& cuts) {
  SseParser parser;
  Collector sink;
  size_t from = 0;
  int64_t ts = 1;
  for (size_t cut : cuts) {
    EXPECT_EQ(parser.Feed(body.substr(from, cut - from), ts++, sink), SseParser::Result::kOk);
    from = cut;
  }
  EXPECT_EQ(parser.Feed(body.substr(from), ts, sink), SseParser::Result::kOk);
  EXPECT_EQ(parser.Finish(ts, sink), SseParser::Result::kOk);
  return sink.seen;
}

// For each event, the index of the byte whose arrival completes it (feeding one byte per read).
std::vector<Seen> ByteByByte(std::string_view body) {
  SseParser parser;
  Collector sink;
  for (size_t i = 0; i < body.size(); ++i)
    parser.Feed(body.substr(i, 1), int64_t(i), sink);
  parser.Finish(int64_t(body.size()), sink);
  return sink.seen;
}

// Every split into two reads and (for short bodies) three reads gives the same events, each
// timed by the read holding the byte that completed it.
void ExpectSplitInvariant(std::string_view body, const std::vector<Seen>& expected_events) {
  std::vector<Seen> whole = FeedCuts(body, {});
  std::vector<Seen> bytewise = ByteByByte(body);
  ASSERT_EQ(whole.size(), expected_events.size());
  for (size_t e = 0; e < whole.size(); ++e) {
    EXPECT_EQ(whole[e].data, expected_events[e].data) << "event " << e;
    EXPECT_EQ(whole[e].offset, expected_events[e].offset) << "event " << e;
    EXPECT_EQ(whole[e].read_ns, 1);
  }
  ASSERT_EQ(bytewise.size(), whole.size());
  auto read_of = [](size_t byte, const std::vector<size_t>& cuts) {
    int64_t read = 1;
    for (size_t cut : cuts)
      read += byte >= cut;
    return read;
  };
  auto check = [&](const std::vector<size_t>& cuts) {
    std::vector<Seen> got = FeedCuts(body, cuts);
    ASSERT_EQ(got.size(), whole.size()) << "cuts " << testing::PrintToString(cuts);
    for (size_t e = 0; e < got.size(); ++e) {
      Seen want = whole[e];
      // bytewise[e].read_ns is the completing byte's index (== body.size() for Finish()).
      want.read_ns = read_of(size_t(bytewise[e].read_ns), cuts);
      ASSERT_EQ(got[e], want) << "cuts " << testing::PrintToString(cuts);
    }
  };
  for (size_t i = 0; i <= body.size(); ++i)
    check({i});
  if (body.size() <= 160) {
    for (size_t i = 0; i <= body.size(); ++i)
      for (size_t j = i; j <= body.size(); ++j)
        check({i, j});
  }
}

TEST(SseParser, VllmCompletionEventsSplitEverywhere) {
  std::string e1 = R"({"id":"cmpl-1","choices":[{"index":0,"text":" Paris"}]})";
  std::string e2 = R"({"id":"cmpl-1","choices":[{"index":0,"text":"é😀"}]})";
  std::string body = "data: " + e1 + "\n\ndata: " + e2 + "\n\ndata: [DONE]\n\n";
  size_t off2 = 6 + e1.size() + 2;
  size_t off3 = off2 + 6 + e2.size() + 2;
  ExpectSplitInvariant(body, {{e1, 1, 0}, {e2, 1, off2}, {"[DONE]", 1, off3}});
}

TEST(SseParser, EventIsTimedByTheReadCompletingIt) {
  // Bytes 0..8 are "data: a\n\n": the second "\n" (index 8) completes the event.
  std::vector<Seen> got = ByteByByte("data: a\n\ndata: b\r\n\r\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].read_ns, 8);
  // "data: b\r\n\r\n" starts at 9; its blank line's "\r" is index 18 and completes the event.
  EXPECT_EQ(got[1].read_ns, 18);
}

TEST(SseParser, ManyEventsInOneReadShareItsTimestamp) {
  SseParser parser;
  Collector sink;
  ASSERT_EQ(parser.Feed("data: a\n\ndata: b\n\ndata: [DONE]\n\n", 42, sink),
            SseParser::Result::kOk);
  ASSERT_EQ(sink.seen.size(), 3u);
  for (const Seen& s : sink.seen)
    EXPECT_EQ(s.read_ns, 42);
}

TEST(SseParser, DataPrefixSpacing) {
  // Without space, with one space (removed), with two (one kept), trailing space kept.
  ExpectSplitInvariant(
      "data:{\"a\":1}\n\ndata: {\"a\":2}\n\ndata:  x\n\ndata: {\"a\":3} \n\n",
      {{"{\"a\":1}", 1, 0}, {"{\"a\":2}", 1, 14}, {" x", 1, 29}, {"{\"a\":3} ", 1, 39}});
}

TEST(SseParser, SeparatorsLfCrlfCrAndMixed) {
  std::string body = "data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\r\n\ndata: e\n\r\n";
  ExpectSplitInvariant(body, {{"a", 1, 0}, {"b", 1, 9}, {"c", 1, 20}, {"d", 1, 29}, {"e", 1, 39}});
}

TEST(SseParser, CrAtEndOfReadAndLfAtStartOfNext) {
  SseParser parser;
  Collector sink;
  parser.Feed("data: a\r", 1, sink);
  parser.Feed("\n", 2, sink);  // same line break: not a blank line
  EXPECT_TRUE(sink.seen.empty());
  parser.Feed("\r", 3, sink);  // the blank line
  ASSERT_EQ(sink.seen.size(), 1u);
  EXPECT_EQ(sink.seen[0], (Seen{"a", 3, 0}));
  parser.Feed("\ndata: b\n\n", 4, sink);  // "\n" completes the "\r" of read 3
  ASSERT_EQ(sink.seen.size(), 2u);
  EXPECT_EQ(sink.seen[1], (Seen{"b", 4, 11}));
}

TEST(SseParser, CommentsAndOtherFieldsAreIgnored) {
  std::string body =
      ":\n\n"                                        // TGI keep-alive
      ": ping - 2025-01-01 00:00:00.000000\r\n\r\n"  // sse-starlette ping
      "event: message\nid: 7\nretry: 1000\nfoo: bar\ndata: x\n\n"
      "id\ndata\ndata: y\n\n";  // a field line without colon; an empty data line
  ExpectSplitInvariant(body, {{"x", 1, 84}, {"\ny", 1, 96}});
}

TEST(SseParser, MultiLineDataIsJoinedWithLf) {
  ExpectSplitInvariant("data: {\"a\":\ndata: 1}\r\n\r\n", {{"{\"a\":\n1}", 1, 0}});
}

TEST(SseParser, EmptyDataIsNotDispatched) {
  EXPECT_TRUE(FeedCuts("data:\n\ndata: \n\n\n\n", {}).empty());
}

TEST(SseParser, NdjsonLinesAreEvents) {
  // Truss models may stream raw JSON lines; leading spaces are dropped from the event.
  std::string body = "{\"text\":\"a\"}\n  {\"text\":\"b\"}\r\n{\"text\":\"c\"}";
  ExpectSplitInvariant(
      body, {{"{\"text\":\"a\"}", 1, 0}, {"{\"text\":\"b\"}", 1, 15}, {"{\"text\":\"c\"}", 1, 29}});
}

TEST(SseParser, NdjsonLineInsideAnSseEventKeepsTheEventData) {
  std::vector<Seen> got = FeedCuts("data: a\n{\"x\":1}\ndata: b\n\n", {});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].data, "{\"x\":1}");
  EXPECT_EQ(got[1].data, "a\nb");
}

TEST(SseParser, UndispatchedDataIsDispatchedAtEndOfBody) {
  ExpectSplitInvariant("data: a\n\ndata: b", {{"a", 1, 0}, {"b", 1, 9}});
  ExpectSplitInvariant("data: a\n\ndata: b\n", {{"a", 1, 0}, {"b", 1, 9}});
}

TEST(SseParser, EventsAfterDoneAreStillFramed) {
  // [DONE] is the readers' business: the framing layer passes everything on.
  std::vector<Seen> got = FeedCuts("data: [DONE]\n\ndata: late\n\n", {});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].data, "late");
}

TEST(SseParser, EventLimitBoundaries) {
  // The limit applies to every line and to every event's joined data.
  for (size_t limit : {size_t{12}, size_t{13}}) {
    SseParser parser(limit);
    Collector sink;
    SseParser::Result r = parser.Feed("data:12345678\n\n", 1, sink);  // a 13-byte line
    EXPECT_EQ(r, limit == 13 ? SseParser::Result::kOk : SseParser::Result::kEventTooLarge);
    EXPECT_EQ(sink.seen.size(), limit == 13 ? 1u : 0u);
  }
  SseParser parser(16);
  Collector sink;
  EXPECT_EQ(parser.Feed("data: 0123456789\n\n", 1, sink), SseParser::Result::kOk);
  ASSERT_EQ(sink.seen.size(), 1u);
  // Two data lines each within the limit whose joined data is over it.
  EXPECT_EQ(parser.Feed("data: 012345678\ndata: 012345678\n\n", 2, sink),
            SseParser::Result::kEventTooLarge);
  EXPECT_EQ(parser.error_offset(), 18u);
  EXPECT_EQ(parser.Feed("data: a\n\n", 3, sink), SseParser::Result::kEventTooLarge);
  EXPECT_EQ(sink.seen.size(), 1u);
}

TEST(SseParser, LongLineSpanningReadsFailsBeforeItEnds) {
  SseParser parser(1024);
  Collector sink;
  EXPECT_EQ(parser.Feed("data: ok\n\ndata: ", 1, sink), SseParser::Result::kOk);
  std::string chunk(600, 'x');
  EXPECT_EQ(parser.Feed(chunk, 2, sink), SseParser::Result::kOk);
  EXPECT_EQ(parser.Feed(chunk, 3, sink), SseParser::Result::kEventTooLarge);
  EXPECT_EQ(parser.error_offset(), 10u);
}

TEST(SseParser, LargeEventBelowTheLimitSucceeds) {
  std::string big(3 << 20, 'z');  // 3 MiB, over 1 MiB as §10 item 25 asks
  std::string body = "data: " + big + "\n\n";
  SseParser parser(4 << 20);
  Collector sink;
  for (size_t i = 0; i < body.size(); i += 16384) {
    ASSERT_EQ(parser.Feed(std::string_view(body).substr(i, 16384), 1, sink),
              SseParser::Result::kOk);
  }
  ASSERT_EQ(sink.seen.size(), 1u);
  EXPECT_EQ(sink.seen[0].data, big);
  SseParser small(2 << 20);
  Collector sink2;
  EXPECT_EQ(small.Feed(body, 1, sink2), SseParser::Result::kEventTooLarge);
}

TEST(SseParser, SinkCanStopAndResetStartsANewBody) {
  SseParser parser;
  Collector sink;
  sink.stop_after = 1;
  EXPECT_EQ(parser.Feed("data: a\n\ndata: b\n\n", 1, sink), SseParser::Result::kStopped);
  EXPECT_EQ(sink.seen.size(), 1u);
  parser.Reset();
  sink.seen.clear();
  sink.stop_after = 0;
  EXPECT_EQ(parser.Feed("data: c\n\n", 2, sink), SseParser::Result::kOk);
  ASSERT_EQ(sink.seen.size(), 1u);
  EXPECT_EQ(sink.seen[0], (Seen{"c", 2, 0}));
}

}  // namespace
}  // namespace servebench::client
