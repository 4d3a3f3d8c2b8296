// The run's tokenizer (src/tokenizer) and chat template (src/template) seen through the dataset
// builders' interfaces (TokenCodec, ChatRenderer). The builders themselves only know the
// interfaces; the app, the benchmarks and end-to-end code use these adapters.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "dataset/chat_renderer.h"
#include "dataset/token_codec.h"
#include "template/chat_template.h"
#include "template/template_kwargs.h"
#include "tokenizer/tokenizer.h"

namespace servebench::dataset {

class TokenizerCodec final : public TokenCodec {
 public:
  explicit TokenizerCodec(const tokenizer::Tokenizer& t);
  std::vector<int32_t> Encode(std::string_view text, bool add_special_tokens) const override;
  std::string Decode(std::span<const int32_t> ids) const override;
  size_t VocabSize() const override { return vocab_; }
  bool IsSpecial(int32_t id) const override { return t_.IsSpecial(id); }
  // Spread over the machine's cores: tokenizing dataset prompts dominates loading.
  std::vector<size_t> CountBatch(std::span<const std::string_view> texts,
                                 bool add_special_tokens) const override;

 private:
  const tokenizer::Tokenizer& t_;
  size_t vocab_;
};

class TemplateRenderer final : public ChatRenderer {
 public:
  TemplateRenderer(tmpl::ChatTemplate chat_template, std::string bos_text,
                   tmpl::TemplateKwargs kwargs = {})
      : template_(std::move(chat_template)),
        bos_(std::move(bos_text)),
        kwargs_(std::move(kwargs)) {}
  Expected<std::string> Render(std::span<const ChatMessage> messages,
                               std::string_view tools_json) const override;
  std::string BosText() const override { return bos_; }

 private:
  tmpl::ChatTemplate template_;
  std::string bos_;
  tmpl::TemplateKwargs kwargs_;  // --chat-template-kwargs
};

// The chat template found next to the files of tokenizer `tokenizer_name` (a directory, a file
// in it, or a hub id already in the cache); null when there is none. Every render sees `kwargs`.
std::unique_ptr<TemplateRenderer> LoadTemplateRenderer(const std::string& tokenizer_name,
                                                       const tokenizer::Tokenizer& tokenizer,
                                                       tmpl::TemplateKwargs kwargs = {});

}  // namespace servebench::dataset
