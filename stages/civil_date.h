// Calendar arithmetic on civil (proleptic Gregorian) dates, shared by the
// stages that compare dates. Pure inline functions; thread-safe.
#pragma once

#include <cstdint>

namespace newsd {

// Days from 1970-01-01 to a civil date (H. Hinnant's days_from_civil).
inline int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace newsd
