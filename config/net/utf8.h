// UTF-8 as outside text comes (FRR's JSON, a config file): where a valid sequence ends.
#pragma once

#include <cstddef>

namespace linkready {

// The length of the valid UTF-8 sequence at `p` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), 0 when there is none. Pure.
size_t utf8Length(const unsigned char* p, const unsigned char* end);

}  // namespace linkready
