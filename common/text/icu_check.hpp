// ICU error handling: the one place a raw UErrorCode becomes a newsidx::Error.
#pragma once

#include <unicode/utypes.h>

#include <string>

#include "newsidx/error.hpp"

namespace newsidx::detail {

inline void check_icu(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) {
        throw Error(ErrorCode::Icu, std::string(what) + ": " + u_errorName(status));
    }
}

}  // namespace newsidx::detail
