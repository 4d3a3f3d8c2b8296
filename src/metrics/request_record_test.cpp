#include "metrics/request_record.h"

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

TEST(RequestRecord, TokenEventsAppendWithoutReallocatingAfterReserve) {
  RequestRecord r;
  r.ReserveEvents(256);
  const int64_t* times = nullptr;
  for (int k = 0; k < 257; ++k) {
    r.AddTokenEvent(1000 + k, 1);
    if (k == 0) times = r.event_times.data();
  }
  EXPECT_EQ(r.event_times.data(), times);
  EXPECT_EQ(r.token_events(), 257u);
  EXPECT_EQ(r.first_token_time(), 1000);
  EXPECT_EQ(r.last_token_time(), 1256);
}

TEST(RequestRecord, DerivedTimes) {
  RequestRecord r;
  r.scheduled_time = 100;
  r.admit_time = 250;
  r.send_time = 260;
  EXPECT_EQ(r.slot_wait(), 150);
  EXPECT_EQ(r.send_lag(), 10);
  EXPECT_FALSE(r.first_token_time().has_value());
  EXPECT_TRUE(r.ok());
}

TEST(RequestRecord, FailKeepsReasonTimeAndTruncatedDetail) {
  RequestRecord r;
  r.AddTokenEvent(5, 1);
  r.Fail(RequestStatus::kTruncated, 99, std::string(5000, 'x'));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.end_time, 99);
  EXPECT_EQ(r.error.size(), kMaxErrorBytes);
  EXPECT_EQ(r.token_events(), 1u);  // timestamps reached are kept
}

TEST(RequestRecord, NamesMatchTheSpec) {
  EXPECT_EQ(StatusName(RequestStatus::kOk), "ok");
  EXPECT_EQ(StatusName(RequestStatus::kConnect), "connect");
  EXPECT_EQ(StatusName(RequestStatus::kHttpStatus), "http_status");
  EXPECT_EQ(StatusName(RequestStatus::kStreamError), "stream_error");
  EXPECT_EQ(StatusName(RequestStatus::kMalformedEvent), "malformed_event");
  EXPECT_EQ(StatusName(RequestStatus::kTruncated), "truncated");
  EXPECT_EQ(StatusName(RequestStatus::kTimeout), "timeout");
  EXPECT_EQ(StatusName(RequestStatus::kCancelled), "cancelled");
  EXPECT_EQ(EventTokenSourceName(EventTokenSource::kTokenizer), "tokenizer");
}

TEST(RequestRecord, FixedPartStaysSmall) {
  // 10,000 in-flight streams must fit in 50 KB each in total; the record's fixed part is a
  // small slice of that (token events are 12 bytes each on top).
  EXPECT_LE(sizeof(RequestRecord), 768u);
}

}  // namespace
}  // namespace servebench::metrics
