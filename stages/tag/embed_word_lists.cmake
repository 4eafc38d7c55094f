# Writes word_lists.cc (the lexicon behind stages/tag/word_lists.h) from
# the word lists of stages/tag/data at build time, so the lists stay data:
#   cmake -DCOMMON=<english-common-words.txt> -DGIVEN=<given-names-en.txt>
#         -DHINDI=<hindi-plain-words.txt> -DOUT=<file.cc> -P embed_word_lists.cmake
# Lines starting with # and blank lines are skipped; words are folded to
# lower case, sorted byte-wise (as std::string_view compares) and deduplicated.

function(read_words path out)
  file(STRINGS "${path}" lines ENCODING UTF-8)
  set(words "")
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "" OR line MATCHES "^#")
      continue()
    endif()
    if(line MATCHES "[\"\\\\;]")
      message(FATAL_ERROR "${path}: a word may not hold a quote, backslash or semicolon: ${line}")
    endif()
    string(TOLOWER "${line}" line)
    list(APPEND words "${line}")
  endforeach()
  list(REMOVE_DUPLICATES words)
  list(SORT words COMPARE STRING CASE SENSITIVE)
  set(${out} "${words}" PARENT_SCOPE)
endfunction()

function(array name words out)
  list(JOIN words "\",\n    \"" body)
  set(${out} "static constexpr std::string_view ${name}[] = {\n    \"${body}\",\n};\n" PARENT_SCOPE)
endfunction()

read_words("${COMMON}" common)
read_words("${GIVEN}" given)
read_words("${HINDI}" hindi)
list(REMOVE_ITEM common ${given})  # a given name is never a common word
array(kCommonWords "${common}" common_array)
array(kGivenNames "${given}" given_array)
array(kHindiPlainWords "${hindi}" hindi_array)
file(WRITE "${OUT}.tmp" "// Generated at build time by stages/tag/embed_word_lists.cmake from
// ${COMMON}, ${GIVEN} and ${HINDI}. Do not edit.
#include \"stages/tag/word_lists.h\"

namespace newsd::tag {

${common_array}
${given_array}
${hindi_array}
std::span<const std::string_view> english_common_words() { return kCommonWords; }
std::span<const std::string_view> english_given_names() { return kGivenNames; }
std::span<const std::string_view> hindi_plain_words() { return kHindiPlainWords; }

}  // namespace newsd::tag
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
