#include "config/net/utf8.h"

namespace linkready {

size_t utf8Length(const unsigned char* p, const unsigned char* end) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n == 0 || size_t(end - p) < n) return 0;
  for (size_t i = 1; i < n; ++i)
    if ((p[i] & 0xc0) != 0x80) return 0;
  if (c == 0xe0 && p[1] < 0xa0) return 0;   // overlong
  if (c == 0xed && p[1] >= 0xa0) return 0;  // a surrogate
  if (c == 0xf0 && p[1] < 0x90) return 0;   // overlong
  if (c == 0xf4 && p[1] >= 0x90) return 0;  // above U+10FFFF
  return n;
}

}  // namespace linkready
