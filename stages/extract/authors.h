// Authors: people's names from a byline string (JSON-LD, <meta>) or from the
// byline an article shows beside its headline.
//
// Pure functions; thread-safe.
#pragma once

#include <functional>
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

// Names from the byline the page shows: the first element, in document
// order, that `in_article` accepts, whose class or id names an author or a
// byline (or that is rel/itemprop author), holds no such element itself and
// reads as names; then the like elements right after it (one per author).
// Leaves `authors` empty when there is none or when the byline names the
// site (`is_site`).
void read_visible_byline(const PageIndex& index, const std::function<bool(int)>& in_article,
                         const std::function<bool(const std::string&)>& is_site, std::vector<std::string>& authors);

}  // namespace newsd::extract
