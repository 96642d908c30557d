/* glob.c: matching config globs against relative paths, segment by segment, without allocating. */
#include "glob.h"

#include <stddef.h>
#include <string.h>

/* One segment: the bytes [start, end) of a glob or a path. */
struct span {
	const char *start;
	const char *end;
};

/* Matches a bracket expression at *g (just past '['); advances *g past ']'.  -1 when unclosed. */
static int match_class(const char **g, const char *end, char c)
{
	const char *p = *g;
	bool negate = false, found = false;

	if (p < end && (*p == '!' || *p == '^')) {
		negate = true;
		p++;
	}
	/* A ']' right after '[' or '[!' is a member. */
	if (p < end && *p == ']') {
		found = c == ']';
		p++;
	}
	while (p < end && *p != ']') {
		unsigned char lo, hi;

		if (*p == '\\' && p + 1 < end)
			p++;
		lo = hi = (unsigned char)*p++;
		if (p + 1 < end && *p == '-' && p[1] != ']') {
			p++;
			if (*p == '\\' && p + 1 < end)
				p++;
			hi = (unsigned char)*p++;
		}
		if ((unsigned char)c >= lo && (unsigned char)c <= hi)
			found = true;
	}
	if (p >= end)
		return -1;
	*g = p + 1;
	return found != negate;
}

/* Whether one glob segment matches one name (neither holds '/'). */
static bool match_segment(struct span glob, struct span name)
{
	const char *g = glob.start, *n = name.start;
	const char *star_g = NULL, *star_n = NULL;

	while (n < name.end) {
		if (g < glob.end && *g == '*') {
			while (g < glob.end && *g == '*')
				g++;
			star_g = g;
			star_n = n;
			continue;
		}
		if (g < glob.end) {
			const char *next = g + 1;
			int ok;

			if (*g == '?') {
				ok = 1;
			} else if (*g == '[') {
				ok = match_class(&next, glob.end, *n);
				if (ok < 0) {
					ok = *n == '[';	/* an unclosed '[' is itself */
					next = g + 1;
				}
			} else if (*g == '\\' && g + 1 < glob.end) {
				ok = g[1] == *n;
				next = g + 2;
			} else {
				ok = *g == *n;
			}
			if (ok) {
				g = next;
				n++;
				continue;
			}
		}
		/* Mismatch: let the last '*' take one more character, or fail. */
		if (!star_g)
			return false;
		g = star_g;
		n = ++star_n;
	}
	while (g < glob.end && *g == '*')
		g++;
	return g == glob.end;
}

static struct span next_segment(const char **s, const char *end)
{
	struct span sp;
	const char *slash;

	sp.start = *s;
	slash = memchr(*s, '/', (size_t)(end - *s));
	sp.end = slash ? slash : end;
	*s = slash ? slash + 1 : end;
	return sp;
}

static bool is_double_star(struct span sp)
{
	return sp.end - sp.start == 2 && sp.start[0] == '*' && sp.start[1] == '*';
}

/*
 * Matches glob segments [g, g_end) against path segments [p, p_end).  Running out of glob with path
 * left is a match: the glob named a folder, and everything below it is covered.
 */
static bool match_segments(const char *g, const char *g_end, const char *p, const char *p_end)
{
	while (g < g_end) {
		struct span gs = next_segment(&g, g_end), ps;

		if (is_double_star(gs)) {
			if (g >= g_end)
				return true;
			/* Zero or more folders: try the rest of the glob at every later segment. */
			for (;;) {
				if (match_segments(g, g_end, p, p_end))
					return true;
				if (p >= p_end)
					return false;
				next_segment(&p, p_end);
			}
		}
		if (p >= p_end)
			return false;
		ps = next_segment(&p, p_end);
		if (!match_segment(gs, ps))
			return false;
	}
	return true;
}

bool glob_match(const char *glob, const char *path)
{
	const char *g_end, *p_end, *p;
	size_t glen;

	while (path[0] == '.' && path[1] == '/')
		path += 2;
	while (glob[0] == '.' && glob[1] == '/')
		glob += 2;
	while (*glob == '/')
		glob++;
	glen = strlen(glob);
	while (glen && glob[glen - 1] == '/')
		glen--;
	if (glen == 0)
		return false;
	g_end = glob + glen;
	p_end = path + strlen(path);
	if (!memchr(glob, '/', glen)) {
		struct span gs = { glob, g_end };

		/* No '/': a name at any depth, a folder's name covering what is below it. */
		for (p = path; p < p_end;) {
			struct span ps = next_segment(&p, p_end);

			if (match_segment(gs, ps))
				return true;
		}
		return false;
	}
	return match_segments(glob, g_end, path, p_end);
}
