// Authors: people's names from a byline string (JSON-LD, <meta>) or from the
// byline an article shows beside its headline.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stages/extract/page_index.h"

namespace newsd::extract {

// Adds each cleaned name of a byline unless it is already there (or
// contains one that is). One byline may name several people: "A and B",
// "A und B", "A, B; C". What is not a name (a mailbox, a URL, a number, a
// sentence) is left out.
void add_author(std::vector<std::string>& authors, std::string_view raw);

// Whether `label` (a <meta name="twitter:labelN">, as SEO plugins write
// "Written by" beside the author in twitter:dataN) introduces an author.
bool is_written_by_label(std::string_view label);

}  // namespace newsd::extract
