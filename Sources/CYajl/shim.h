#ifndef RUNDLE_CYAJL_SHIM_H
#define RUNDLE_CYAJL_SHIM_H

// yajl 2.x (libyajl-dev) for RundleJSON. The callback parser and the generator are enough;
// yajl_tree.h is not used. yajl_config and yajl_gen_config are variadic, which Swift cannot
// call, so the options RundleJSON needs are wrapped below as plain functions.

#include <yajl/yajl_parse.h>
#include <yajl/yajl_gen.h>

/// Parser option: check that strings are valid UTF-8 (on) or skip the check (off).
/// yajl validates by default; this turns `yajl_dont_validate_strings` on or off.
static inline int rundle_yajl_config_validate_strings(yajl_handle h, int validate) {
    return yajl_config(h, yajl_dont_validate_strings, validate ? 0 : 1);
}

/// Generator option: indented output (one member per line).
static inline int rundle_yajl_gen_config_beautify(yajl_gen g, int beautify) {
    return yajl_gen_config(g, yajl_gen_beautify, beautify ? 1 : 0);
}

/// Generator option: indent each level with two spaces when beautifying.
/// yajl keeps the pointer it is given rather than a copy, so the indent is a C string literal
/// here (static storage) instead of a parameter: a pointer from a Swift String would dangle.
static inline int rundle_yajl_gen_config_indent_two_spaces(yajl_gen g) {
    return yajl_gen_config(g, yajl_gen_indent_string, "  ");
}

/// Generator option: refuse strings that are not valid UTF-8.
static inline int rundle_yajl_gen_config_validate_utf8(yajl_gen g, int validate) {
    return yajl_gen_config(g, yajl_gen_validate_utf8, validate ? 1 : 0);
}

/// Generator option: write '/' as "\/" (RundleJSON leaves it off).
static inline int rundle_yajl_gen_config_escape_solidus(yajl_gen g, int escape) {
    return yajl_gen_config(g, yajl_gen_escape_solidus, escape ? 1 : 0);
}

#endif
