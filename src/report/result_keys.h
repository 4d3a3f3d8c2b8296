// JSON pieces the JSONL line and vLLM's result file share: ramp-up and speculative-decoding
// keys, and the per-request arrays both write in the same form.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "metrics/request_figures.h"
#include "metrics/request_record.h"
#include "report/json_writer.h"
#include "report/run_info.h"

namespace servebench::report {

// ramp_up_strategy, ramp_up_start_rps, ramp_up_end_rps.
void WriteRampUpSettings(JsonWriter& w, const RampUpInfo& ramp);
// rps_change_events: [{"rps", "time_s"}, ...].
void WriteRpsChangeEvents(JsonWriter& w, const RampUpInfo& ramp);
// spec_decode_* keys.
void WriteSpecDecode(JsonWriter& w, const SpecDecodeInfo& spec);

// Writes per-request arrays (one entry per record, in order) with each record's figures under
// the run's rules computed once.
class PerRequestArrays {
 public:
  PerRequestArrays(JsonWriter& w, std::span<const metrics::RequestRecord> records,
                   const metrics::MeasurementRules& rules);

  // key: [write_one(record, figures), ...]
  template <typename WriteOne>
  void Array(std::string_view key, WriteOne&& write_one) {
    w_.Key(key).BeginArray();
    for (size_t i = 0; i < records_.size(); ++i)
      write_one(records_[i], figures_[i]);
    w_.EndArray();
  }

  // The arrays SGLang and vLLM name alike: output_lens (O_i, 0 for failures), ttfts (s, 0 when
  // none), itls (per-request arrays in s), generated_texts, errors ("" for successes).
  void OutputLens();
  void Ttfts();
  void Itls();
  void GeneratedTexts();
  void Errors();

 private:
  JsonWriter& w_;
  std::span<const metrics::RequestRecord> records_;
  metrics::MeasurementRules rules_;
  std::vector<metrics::RequestFigures> figures_;
};

}  // namespace servebench::report
