// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace evt::kafka {

/// librdkafka's version string and builtin features, for `evt --version`.
std::string librdkafka_version();
std::string librdkafka_features();

}  // namespace evt::kafka
