// Body of TGI's /generate_stream and /generate (spec/protocols.md §4.5).
#include "protocol/style_bodies.h"

namespace servebench::protocol {

Expected<JsonObject> TgiBody(const RequestInput& input, const RequestOptions& options) {
  Expected<std::string> text = PromptText(input, "tgi");
  if (!text) return std::unexpected(text.error());
  JsonObject parameters;
  parameters.Set("max_new_tokens", JsonInt(input.output_len));
  parameters.Set("details", "true");
  double temperature = options.temperature.value_or(0.0);
  if (temperature > 0) {  // TGI rejects temperature 0; greedy is its default
    parameters.Set("do_sample", "true");
    parameters.Set("temperature", JsonDouble(temperature));
  }
  if (options.top_p > 0 && options.top_p < 1.0) {  // TGI rejects 1.0
    parameters.Set("top_p", JsonDouble(options.top_p));
  }
  SetSamplingFlags(options, parameters);
  JsonObject body;
  body.Set("inputs", JsonString(*text));
  body.Set("parameters", parameters.ToJson());
  return body;
}

}  // namespace servebench::protocol
