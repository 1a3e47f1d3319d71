// Texts shared by the unit tests of story clusters and of the copy test.
#pragma once

#include <string>

namespace newsidx::test {

/// The King's congratulation cable to the president of `country`: a templated report whose
/// copies for two countries differ only in the name.
inline std::string congratulation_to(const std::string& country) {
    std::string out =
        "the king sent a cable of congratulations to the president of {} on the anniversary of "
        "the independence of his country and wished the government and people of {} further "
        "progress and prosperity in the name of the people of the kingdom";
    for (std::size_t at; (at = out.find("{}")) != std::string::npos;) out.replace(at, 2, country);
    return out;
}

}  // namespace newsidx::test
