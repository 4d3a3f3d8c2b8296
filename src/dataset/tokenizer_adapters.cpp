#include "dataset/tokenizer_adapters.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "template/json_value.h"
#include "template/template_source.h"
#include "tokenizer/hub.h"

namespace servebench::dataset {

namespace fs = std::filesystem;

TokenizerCodec::TokenizerCodec(const tokenizer::Tokenizer& t) : t_(t) {
  // V: the base vocabulary ends before the first added special token at the end of the id
  // space (added tokens sit above the model's vocabulary).
  vocab_ = t_.VocabSize();
  while (vocab_ > 0 && t_.IsSpecial(static_cast<int32_t>(vocab_ - 1)))
    --vocab_;
}

std::vector<int32_t> TokenizerCodec::Encode(std::string_view text, bool add_special_tokens) const {
  return t_.Encode(text, add_special_tokens);
}

std::string TokenizerCodec::Decode(std::span<const int32_t> ids) const {
  return t_.Decode(ids);
}

std::vector<size_t> TokenizerCodec::CountBatch(std::span<const std::string_view> texts,
                                               bool add_special_tokens) const {
  std::vector<size_t> counts(texts.size());
  // Threads take small blocks in turn, so a few long texts do not leave the others idle.
  constexpr size_t kBlock = 16;
  std::atomic<size_t> next{0};
  auto work = [&] {
    std::vector<int32_t> ids;
    for (;;) {
      size_t begin = next.fetch_add(kBlock, std::memory_order_relaxed);
      if (begin >= texts.size()) return;
      for (size_t i = begin; i < std::min(begin + kBlock, texts.size()); ++i) {
        ids.clear();
        t_.EncodeInto(texts[i], add_special_tokens, ids);
        counts[i] = ids.size();
      }
    }
  };
  size_t threads = std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()),
                                    (texts.size() + kBlock - 1) / kBlock);
  if (threads <= 1) {
    work();
    return counts;
  }
  std::vector<std::jthread> pool;
  for (size_t t = 1; t < threads; ++t)
    pool.emplace_back(work);
  work();
  return counts;
}

Expected<std::string> TemplateRenderer::Render(std::span<const ChatMessage> messages,
                                               std::string_view tools_json) const {
  std::vector<tmpl::Value> list;
  for (const ChatMessage& m : messages) {
    tmpl::Value message = tmpl::Value::Dict();
    message.dict().Set("role", tmpl::Value(m.role));
    if (m.content_is_json) {
      auto content = tmpl::ParseJson(m.content);
      if (!content) return std::unexpected(content.error());
      message.dict().Set("content", std::move(*content));
    } else {
      message.dict().Set("content", tmpl::Value(m.content));
    }
    list.push_back(std::move(message));
  }
  tmpl::RenderOptions options;
  options.add_generation_prompt = true;
  options.kwargs = kwargs_;
  if (!tools_json.empty()) {
    auto tools = tmpl::ParseJson(tools_json);
    if (!tools) return std::unexpected(tools.error());
    options.tools = std::move(*tools);
  }
  return template_.render(tmpl::Value::List(std::move(list)), options);
}

std::unique_ptr<TemplateRenderer> LoadTemplateRenderer(const std::string& tokenizer_name,
                                                       const tokenizer::Tokenizer& tokenizer,
                                                       tmpl::TemplateKwargs kwargs) {
  std::error_code ec;
  fs::path dir;
  if (fs::is_directory(tokenizer_name, ec)) {
    dir = tokenizer_name;
  } else if (fs::is_regular_file(tokenizer_name, ec)) {
    dir = fs::absolute(tokenizer_name, ec).parent_path();
  } else if (tokenizer::LooksLikeHubId(tokenizer_name)) {
    auto snapshot =
        tokenizer::ResolveHubTokenizer(tokenizer_name, tokenizer::HubSettings::FromEnvironment());
    if (!snapshot) return nullptr;
    dir = *snapshot;
  } else {
    return nullptr;
  }
  auto chat_template = tmpl::LoadChatTemplate(dir.string());
  if (!chat_template) return nullptr;
  std::string bos;
  if (auto id = tokenizer.special_ids().bos) {
    if (std::optional<std::string> text = tokenizer.IdToToken(*id)) bos = std::move(*text);
  }
  return std::make_unique<TemplateRenderer>(std::move(*chat_template), std::move(bos),
                                            std::move(kwargs));
}

}  // namespace servebench::dataset
