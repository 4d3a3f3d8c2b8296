#include "report/result_keys.h"

namespace servebench::report {

namespace {
constexpr double kNsPerS = 1e9;
}  // namespace

void WriteRampUpSettings(JsonWriter& w, const RampUpInfo& ramp) {
  w.Key("ramp_up_strategy").String(ramp.strategy);
  w.Key("ramp_up_start_rps").Double(ramp.start_rps);
  w.Key("ramp_up_end_rps").Double(ramp.end_rps);
}

void WriteRpsChangeEvents(JsonWriter& w, const RampUpInfo& ramp) {
  w.Key("rps_change_events").BeginArray();
  for (const RpsChangeEvent& e : ramp.rps_change_events) {
    w.BeginObject().Key("rps").Int(e.rps).Key("time_s").Double(e.time_s).EndObject();
  }
  w.EndArray();
}

void WriteSpecDecode(JsonWriter& w, const SpecDecodeInfo& s) {
  w.Key("spec_decode_acceptance_rate").Double(s.acceptance_rate);
  w.Key("spec_decode_acceptance_length").Double(s.acceptance_length);
  w.Key("spec_decode_num_drafts").Int(s.num_drafts);
  w.Key("spec_decode_draft_tokens").Int(s.draft_tokens);
  w.Key("spec_decode_accepted_tokens").Int(s.accepted_tokens);
  w.Key("spec_decode_per_position_acceptance_rates").BeginArray();
  for (double rate : s.per_position_acceptance_rates)
    w.Double(rate);
  w.EndArray();
}

PerRequestArrays::PerRequestArrays(JsonWriter& w, std::span<const metrics::RequestRecord> records,
                                   const metrics::MeasurementRules& rules)
    : w_(w), records_(records), rules_(rules) {
  figures_.reserve(records.size());
  for (const auto& r : records)
    figures_.push_back(metrics::ComputeFigures(r, rules));
}

void PerRequestArrays::OutputLens() {
  Array("output_lens", [&](const auto&, const metrics::RequestFigures& f) {
    w_.Int(f.success ? f.output_tokens : 0);
  });
}

void PerRequestArrays::Ttfts() {
  Array("ttfts", [&](const auto&, const metrics::RequestFigures& f) {
    w_.Double(f.ttft_ns ? static_cast<double>(*f.ttft_ns) / kNsPerS : 0.0);
  });
}

void PerRequestArrays::Itls() {
  std::vector<double> itl;
  Array("itls", [&](const metrics::RequestRecord& r, const auto&) {
    itl.clear();
    metrics::AppendItl(r, rules_, itl);
    w_.BeginArray();
    for (double ns : itl)
      w_.Double(ns / kNsPerS);
    w_.EndArray();
  });
}

void PerRequestArrays::GeneratedTexts() {
  Array("generated_texts",
        [&](const metrics::RequestRecord& r, const auto&) { w_.String(r.generated_text); });
}

void PerRequestArrays::Errors() {
  Array("errors", [&](const metrics::RequestRecord& r, const metrics::RequestFigures& f) {
    w_.String(f.success ? "" : r.error);
  });
}

}  // namespace servebench::report
