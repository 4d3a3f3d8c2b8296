#include "app/positional_form.h"

namespace servebench::app {

Status ApplyPositionalForm(RunFlags& f, const std::function<bool(std::string_view flag)>& given) {
  if (f.positional.empty()) return Ok();
  if (f.positional.size() != 3) {
    return MakeError("positional operands: expected SERVER_ADDR TOKENIZER_PATH DATASET (3), got {}",
                     f.positional.size());
  }
  for (std::string_view flag : {"--base-url", "--tokenizer", "--dataset-path"}) {
    if (given(flag)) {
      return MakeError(
          "{}: also given as a positional operand (SERVER_ADDR TOKENIZER_PATH "
          "DATASET); give one or the other",
          flag);
    }
  }
  const std::string& addr = f.positional[0];
  if (!addr.starts_with("http://") && !addr.starts_with("https://")) {
    return MakeError("SERVER_ADDR: expected http://host:port, got '{}'", addr);
  }
  f.base_url = addr;
  f.tokenizer = f.positional[1];
  f.dataset_path = f.positional[2];
  if (!given("--dataset-name")) f.dataset_name = "sharegpt";
  if (!given("--backend")) f.backend = "lmdeploy";
  if (!given("--concurrency") && !given("--max-concurrency")) f.concurrency = 64;
  if (!given("--num-prompts")) f.num_prompts = 2000;
  if (!given("--disable-stream")) f.disable_stream = !f.stream_output;
  if (!given("--csv")) f.csv = "../profile_api_server.csv";
  if (!given("--seed")) f.seed = 0;
  return Ok();
}

}  // namespace servebench::app
