/* report.c: the reporter table and the escaping every reporter shares. */
#include "report.h"

#include <stdbool.h>
#include <string.h>

const struct reporter reporters[] = {
	{ "github", report_github, false },
	{ "json", report_json, false },
	{ "junit", report_junit, true },
	{ "sarif", report_sarif, false },
	{ "text", report_text, false },
};

const size_t reporter_count = sizeof(reporters) / sizeof(reporters[0]);

const struct reporter *reporter_find(const char *name)
{
	size_t i;

	for (i = 0; i < reporter_count; i++)
		if (strcmp(reporters[i].name, name) == 0)
			return &reporters[i];
	return NULL;
}

size_t utf8_length(const unsigned char *s)
{
	unsigned int c = s[0];
	size_t n, i;
	unsigned int cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	/* C1 controls (U+0080..U+009F) act as terminal escapes too. */
	if (n == 2 && cp < 0xA0)
		return 0;
	return n;
}

/* U+202A..U+202E and U+2066..U+2069 reorder what a terminal shows ("Trojan Source"). */
static bool is_bidi_control(const unsigned char *s, size_t n)
{
	return n == 3 && s[0] == 0xE2 && ((s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE) ||
					   (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9));
}

/* Writes the run of printable ASCII at s (none of '"' and '\\' for JSON) in one call; its length. */
static size_t write_plain(FILE *out, const unsigned char *s, bool json)
{
	const unsigned char *p = s;

	while (*p >= 0x20 && *p < 0x7F && !(json && (*p == '"' || *p == '\\')))
		p++;
	if (p > s)
		fwrite(s, 1, (size_t)(p - s), out);
	return (size_t)(p - s);
}

void write_sanitized(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	while (*s) {
		size_t n;

		s += write_plain(out, s, false);
		if (!*s)
			break;
		n = utf8_length(s);

		if (is_bidi_control(s, n)) {
			fprintf(out, "\\u%04X", (unsigned)((s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu)));
			s += n;
			continue;
		}

		if (n == 1 && *s >= 0x20 && *s != 0x7F) {
			fputc(*s, out);
			s++;
		} else if (n > 1) {
			fwrite(s, 1, n, out);
			s += n;
		} else {
			fprintf(out, "\\x%02X", *s);
			s++;
		}
	}
}

void write_json_string(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	while (*s) {
		size_t n;

		s += write_plain(out, s, true);
		if (!*s)
			break;
		n = utf8_length(s);

		if (*s == '"' || *s == '\\') {
			fputc('\\', out);
			fputc(*s++, out);
		} else if (*s == '\n') {
			fputs("\\n", out);
			s++;
		} else if (*s == '\t') {
			fputs("\\t", out);
			s++;
		} else if (*s == '\r') {
			fputs("\\r", out);
			s++;
		} else if (*s < 0x20 || *s == 0x7F) {
			fprintf(out, "\\u%04x", *s++);
		} else if (n >= 1) {
			fwrite(s, 1, n, out);
			s += n;
		} else if (s[0] == 0xC2 && (s[1] & 0xC0) == 0x80) {
			/* A C1 control: valid UTF-8, escaped so no terminal acts on it. */
			fprintf(out, "\\u%04x", 0x80u | (s[1] & 0x3Fu));
			s += 2;
		} else {
			fputs("\\ufffd", out);
			s++;
		}
	}
}

void write_xml_string(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	while (*s) {
		size_t n = utf8_length(s);

		switch (*s) {
		case '&': fputs("&amp;", out); s++; continue;
		case '<': fputs("&lt;", out); s++; continue;
		case '>': fputs("&gt;", out); s++; continue;
		case '"': fputs("&quot;", out); s++; continue;
		case '\'': fputs("&apos;", out); s++; continue;
		case '\n': fputs("&#10;", out); s++; continue;
		default: break;
		}
		if (n == 1 && *s >= 0x20 && *s != 0x7F) {
			fputc(*s++, out);
		} else if (n > 1) {
			fwrite(s, 1, n, out);
			s += n;
		} else {
			/* Controls are not XML characters at all; show them as write_sanitized() does. */
			fprintf(out, "\\x%02X", *s++);
		}
	}
}
