// The family dialects, one object per (family, route) shape; DialectFor picks among them.
#pragma once

#include "sim/wire/wire.h"

namespace servebench::sim {

// `route` is kCompletions or kChat unless said otherwise.
const Dialect& VllmDialect(Route route);
const Dialect& SglangDialect(Route route);  // also kSglangGenerate
const Dialect& LmdeployDialect(Route route, bool legacy);
const Dialect& TrtllmServeDialect(Route route);
const Dialect& TgiDialect(Route route);  // also kTgiGenerate, kTgiGenerateStream
const Dialect& OpenaiDialect(Route route);
const Dialect& TritonDialect();
const Dialect& TrussDialect();

}  // namespace servebench::sim
