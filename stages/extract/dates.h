// Date parsing for article metadata: normalises the many ways pages write a
// publication date to ISO 8601 with an offset ("2022-01-11T09:12:00+05:30").
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace newsd::extract {

// Machine-readable dates: ISO 8601 / RFC 3339 ("2022-01-11", "2022-01-11T09:12",
// "2022-01-11T09:12:00.000Z", "+0530" offsets) and RFC 2822 ("Tue, 11 Jan 2022
// 09:12:00 +0530"). A time without offset is taken as UTC; a date without time
// as midnight UTC. Returns "" when `s` is not a plausible date (years outside
// 1990..2100, bad month/day).
std::string normalize_date(std::string_view s);

// Days from the calendar day of ISO date `from` to that of `to` (their first
// ten characters): 1 from "2020-02-17..." to "2020-02-18...". 0 when either
// is not an ISO date.
int day_difference(std::string_view from, std::string_view to);

// A date in a URL path: /2022/01/11/, /2022-01-11-, /20220111/. "" if none.
std::string date_from_url(std::string_view url);

// A visible date written out in words or digits near a headline: "January 11,
// 2022", "11 Jan 2022", "जनवरी 11, 2022", "11 जनवरी 2022", "11.01.2022".
std::string date_from_text(std::string_view text);

}  // namespace newsd::extract
