// The tokenizer and chat-template adapters now live in the dataset module (so the benchmarks can
// use them); these names keep the app's callers unchanged.
#pragma once

#include "dataset/tokenizer_adapters.h"

namespace servebench::app {

using dataset::LoadTemplateRenderer;
using dataset::TemplateRenderer;
using dataset::TokenizerCodec;

}  // namespace servebench::app
