#include "common/version.h"

namespace servebench {

std::string_view Version() {
  return SERVEBENCH_VERSION;
}

}  // namespace servebench
