/*
 * text.h: UTF-8 text as the tools handle it: validation, code point
 * counting, NFC (through utf8proc) and the fold used for tolerant matching.
 *
 * Every function returning char * returns a string the caller frees.
 */
#ifndef KH_TEXT_H
#define KH_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Returns len when s is valid UTF-8 with no NUL, else the offset of the first bad byte. */
size_t	 kh_utf8_check(const char *s, size_t len);
/* Decodes one code point at s (which must be valid); returns its byte length. */
size_t	 kh_utf8_decode(const char *s, int32_t *cp);
/* Encodes cp into out (at least 4 bytes); returns the byte length. */
size_t	 kh_utf8_encode(int32_t cp, char *out);
/* Number of code points in valid UTF-8. */
size_t	 kh_utf8_count(const char *s, size_t len);
/* Byte offset of code point number cp (0-based) in valid UTF-8; len when past the end. */
size_t	 kh_utf8_offset(const char *s, size_t len, size_t cp);

/*
 * NFC of valid UTF-8 s; *outlen gets the length.  Returns NULL when s is not
 * valid UTF-8.
 */
char	*kh_nfc(const char *s, size_t len, size_t *outlen);

/*
 * The matching fold of valid NFC text: lower case; the tone mark of each
 * Vietnamese word on one fixed vowel ("hoà" and "hòa", "uỷ" and "ủy" fold
 * alike); Ð and ð as đ; the dash look-alikes U+2010..U+2015 and U+2212 as
 * "-"; no-break and other spaces as " ".  The result has exactly as many
 * code points as s, code point i of the result standing for code point i of
 * s, so a match in the fold is a match at the same columns of s.
 */
char	*kh_fold(const char *s, size_t len, size_t *outlen);

/*
 * Copies s into out with every C0 and C1 control character (and DEL) shown
 * as \xHH, so text from a document never reaches a terminal raw; invalid
 * UTF-8 bytes are shown the same way.  Returns out.
 */
char	*kh_safe(const char *s, char *out, size_t outsize);

#endif
