/* fuzz_lint.c: libFuzzer target over the whole pipeline: bytes -> tree -> objects -> index -> every
 * rule -> every reporter in reporters[], each checked for exact escaping.
 *
 * The input is one or more files.  A line "#file:NAME" starts a new file called NAME (any bytes,
 * control characters included, so that reporters meet hostile paths); a NAME starting with "ctx:"
 * is loaded as --context, and one starting with "err:" is an input that could not be read, with the
 * rest of its text as the error.  Text before the first such line is a file called "fuzz.yaml", so
 * any manifest is a seed as it is.  The Kubernetes version and default namespace come from a hash of
 * the input.  Each file's bytes go to a memfd and are read through source_read(), as svclint reads.
 *
 * Besides the sanitizers, the target aborts when an invariant breaks: every diagnostic is located
 * (line and column from 1), every reporter's output is valid UTF-8 without control characters other
 * than tab, CR and LF, the text format has exactly one line per diagnostic and note, and the JSON-like
 * formats parse as one JSON value.  Each file is also parsed whole and skimming every kind it may
 * (doc_parse_skimming()), and the two must report the same problems, in the same order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "doc.h"
#include "engine.h"
#include "report.h"
#include "rule.h"

#define MAX_FILES 8
/* A reporter whose output for no findings at all is larger than this (SARIF's rule catalog) runs
 * on one input in 8 (chosen by the input's hash, so the same input always does the same). */
#define HEAVY_REPORT_BYTES 16384

/* The checks below are not what is fuzzed: no coverage feedback from them, and less time. */
#define NOT_FUZZED __attribute__((no_sanitize("coverage")))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static bool heavy[64];

static void fail(const char *what, const char *format, const char *output, size_t len)
{
	fprintf(stderr, "fuzz_lint: %s (format %s)\n--- output (%zu bytes) ---\n", what, format, len);
	fwrite(output, 1, len < 4096 ? len : 4096, stderr);
	fputs("\n--- end ---\n", stderr);
	abort();
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid; C1 controls count as invalid. */
NOT_FUZZED static size_t utf8_sequence(const unsigned char *s, size_t n)
{
	unsigned int c = s[0], cp;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 2 && cp < 0xA0) || (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* No terminal escape, no control character but tab, CR and LF, valid UTF-8 throughout. */
NOT_FUZZED static void check_safe(const char *format, const char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_sequence(s + i, len - i);

		if (n == 0)
			fail("invalid UTF-8 or a C1 control in the output", format, out, len);
		if (n == 1 && ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r') || s[i] == 0x7F))
			fail("a raw control character in the output", format, out, len);
		i += n;
	}
}

/* A strict JSON validator (RFC 8259), iterative so that depth costs no stack. */
struct json {
	const char *s;
	size_t i, len;
};

NOT_FUZZED static void json_space(struct json *j)
{
	while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\n' || j->s[j->i] == '\t' || j->s[j->i] == '\r'))
		j->i++;
}

NOT_FUZZED static int json_string(struct json *j)
{
	if (j->i >= j->len || j->s[j->i] != '"')
		return -1;
	for (j->i++; j->i < j->len; j->i++) {
		unsigned char c = (unsigned char)j->s[j->i];

		if (c == '"') {
			j->i++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (++j->i >= j->len)
				return -1;
			c = (unsigned char)j->s[j->i];
			if (c == 'u') {
				int k;

				for (k = 0; k < 4; k++) {
					char h = ++j->i < j->len ? j->s[j->i] : 0;

					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
						return -1;
				}
			} else if (!strchr("\"\\/bfnrt", c) || c == 0) {
				return -1;
			}
		}
	}
	return -1;
}

NOT_FUZZED static int json_number(struct json *j)
{
	size_t start = j->i;

	if (j->i < j->len && j->s[j->i] == '-')
		j->i++;
	if (j->i < j->len && j->s[j->i] == '0')
		j->i++;
	else if (j->i < j->len && j->s[j->i] >= '1' && j->s[j->i] <= '9')
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	else
		return -1;
	if (j->i < j->len && j->s[j->i] == '.') {
		j->i++;
		if (!(j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9'))
			return -1;
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	}
	if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (!(j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9'))
			return -1;
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	}
	return j->i > start ? 0 : -1;
}

NOT_FUZZED static int json_word(struct json *j, const char *w)
{
	size_t n = strlen(w);

	if (j->len - j->i < n || memcmp(j->s + j->i, w, n) != 0)
		return -1;
	j->i += n;
	return 0;
}

/* One JSON value and nothing after it but white space. */
NOT_FUZZED static int json_validate(const char *s, size_t len)
{
	struct json j = { s, 0, len };
	char *stack = NULL;
	size_t depth = 0, cap = 0;
	int rc = -1;

	for (;;) {
		/* A value. */
		json_space(&j);
		if (j.i >= j.len)
			goto out;
		if (j.s[j.i] == '{' || j.s[j.i] == '[') {
			char open = j.s[j.i++];

			if (depth == cap) {
				cap = cap ? cap * 2 : 64;
				stack = realloc(stack, cap);
				if (!stack)
					abort();
			}
			stack[depth++] = open;
			json_space(&j);
			if (j.i < j.len && j.s[j.i] == (open == '{' ? '}' : ']')) {
				j.i++;
				depth--;
				goto after_value;
			}
			if (open == '{') {
				if (json_string(&j) != 0)
					goto out;
				json_space(&j);
				if (j.i >= j.len || j.s[j.i++] != ':')
					goto out;
			}
			continue;
		}
		if (j.s[j.i] == '"') {
			if (json_string(&j) != 0)
				goto out;
		} else if (j.s[j.i] == 't') {
			if (json_word(&j, "true") != 0)
				goto out;
		} else if (j.s[j.i] == 'f') {
			if (json_word(&j, "false") != 0)
				goto out;
		} else if (j.s[j.i] == 'n') {
			if (json_word(&j, "null") != 0)
				goto out;
		} else if (json_number(&j) != 0) {
			goto out;
		}
after_value:
		for (;;) {
			json_space(&j);
			if (depth == 0) {
				rc = j.i == j.len ? 0 : -1;
				goto out;
			}
			if (j.i >= j.len)
				goto out;
			if (j.s[j.i] == ',') {
				j.i++;
				if (stack[depth - 1] == '{') {
					json_space(&j);
					if (json_string(&j) != 0)
						goto out;
					json_space(&j);
					if (j.i >= j.len || j.s[j.i++] != ':')
						goto out;
				}
				break;
			}
			if (j.s[j.i] == (stack[depth - 1] == '{' ? '}' : ']')) {
				j.i++;
				depth--;
				continue;
			}
			goto out;
		}
	}
out:
	free(stack);
	return rc;
}

NOT_FUZZED static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

static void check_result(const struct lint_result *result, size_t *shown_lines)
{
	size_t i, lines = 0;

	for (i = 0; i < result->diags.count; i++) {
		const struct diag *d = result->diags.items[i];
		size_t k;

		if (!d->rule || !d->file || !d->message || d->message[0] == '\0' || d->line == 0 || d->column == 0 ||
		    d->severity > SEVERITY_ERROR) {
			fprintf(stderr, "fuzz_lint: a diagnostic without rule, file, message or position: %s %s:%u:%u\n",
				d->rule ? d->rule : "?", d->file ? d->file : "?", d->line, d->column);
			abort();
		}
		for (k = 0; k < d->related_count; k++)
			if (d->related[k].line == 0 || d->related[k].column == 0 || !d->related[k].message) {
				fprintf(stderr, "fuzz_lint: a note without position (rule %s)\n", d->rule);
				abort();
			}
		if (i > 0) {
			const struct diag *p = result->diags.items[i - 1];
			int c = strcmp(p->file, d->file);

			if (c > 0 || (c == 0 && (p->line > d->line || (p->line == d->line && p->column > d->column)))) {
				fprintf(stderr, "fuzz_lint: diagnostics out of order: %s:%u:%u before %s:%u:%u\n",
					p->file, p->line, p->column, d->file, d->line, d->column);
				abort();
			}
		}
		if (!d->suppressed)
			lines += 1 + d->related_count;
	}
	*shown_lines = lines;
}

static void run_reporters(const struct lint_result *result, size_t shown_lines, uint32_t hash, bool all_paths)
{
	struct report_options options;
	size_t r;

	memset(&options, 0, sizeof(options));
	options.version = "0.0.0-fuzz";
	for (r = 0; r < reporter_count; r++) {
		char *out = NULL;
		size_t len = 0;
		FILE *f;
		const char *name = reporters[r].name;

		if (r < 64 && heavy[r] && (hash >> 16) % 8 != 0)
			continue;
		/* The command line keeps every path for a report that lists every file. */
		if (reporters[r].lists_inputs && !all_paths)
			continue;
		f = open_memstream(&out, &len);
		if (!f)
			abort();
		if (reporters[r].write(f, result, &options) != 0)
			fail("the reporter failed on a memory stream", name, "", 0);
		if (fclose(f) != 0)
			abort();
		check_safe(name, out, len);
		if (strcmp(name, "text") == 0 && count_lines(out, len) != shown_lines)
			fail("the text output does not have one line per diagnostic and note", name, out, len);
		if (strcmp(name, "text") == 0 && (hash >> 20) % 4 == 0) {
			/* In colour, a source line and a caret under each finding and note: of a long line only
			 * the part around the column, so at most two short lines more for each. */
			char *colored = NULL;
			size_t colored_len = 0;

			options.color = true;
			f = open_memstream(&colored, &colored_len);
			if (!f)
				abort();
			if (reporters[r].write(f, result, &options) != 0)
				fail("the reporter failed on a memory stream", "text in colour", "", 0);
			if (fclose(f) != 0)
				abort();
			options.color = false;
			if (colored_len > len + 16 * len / 10 + shown_lines * 4096)
				fail("the snippets are longer than their cut", "text in colour", colored, colored_len);
			free(colored);
		}
		if ((strcmp(name, "json") == 0 || strcmp(name, "sarif") == 0) && json_validate(out, len) != 0)
			fail("the output is not one valid JSON value", name, out, len);
		free(out);
	}
}

/* Splits data into files at "#file:" lines; returns how many. */
static size_t split(const char *data, size_t size, const char **starts, size_t *lens, char **names)
{
	size_t count = 0, pos = 0, start = 0;
	const char *name = "fuzz.yaml";
	size_t name_len = strlen(name);

	for (;;) {
		const char *marker = NULL;
		size_t at = pos;

		while (at + 6 <= size) {
			if ((at == 0 || data[at - 1] == '\n') && memcmp(data + at, "#file:", 6) == 0) {
				marker = data + at;
				break;
			}
			at++;
		}
		if (!marker)
			at = size;
		if (at > start || count > 0 || !marker) {
			starts[count] = data + start;
			lens[count] = at - start;
			names[count] = strndup(name, name_len);
			if (!names[count])
				abort();
			count++;
		}
		if (!marker || count == MAX_FILES)
			break;
		{
			const char *eol = memchr(marker + 6, '\n', size - (at + 6));
			size_t end = eol ? (size_t)(eol - data) : size;

			name = marker + 6;
			name_len = end - (at + 6);
			if (name_len == 0 || memchr(name, '\0', name_len)) {
				name = "unnamed.yaml";
				name_len = strlen(name);
			}
			start = eol ? end + 1 : size;
			pos = start;
		}
	}
	if (count == MAX_FILES && starts[count - 1] + lens[count - 1] < data + size)
		lens[count - 1] = (size_t)(data + size - starts[count - 1]);
	return count;
}

/* Finds the reporters that are heavy even with nothing to report. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct lint_result empty;
	struct report_options options;
	size_t r;

	(void)argc;
	(void)argv;
	memset(&empty, 0, sizeof(empty));
	memset(&options, 0, sizeof(options));
	options.version = "0.0.0-fuzz";
	for (r = 0; r < reporter_count && r < 64; r++) {
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		if (!f)
			abort();
		reporters[r].write(f, &empty, &options);
		fclose(f);
		heavy[r] = len > HEAVY_REPORT_BYTES;
		if (heavy[r])
			fprintf(stderr, "fuzz_lint: reporter %s writes %zu bytes for nothing: it runs on 1 input in 8\n",
				reporters[r].name, len);
		free(out);
	}
	return 0;
}

NOT_FUZZED static bool skim_any(const void *data, const char *kind, size_t len)
{
	(void)data;
	(void)kind;
	(void)len;
	return true;
}

/* Skimming changes what is built, never what is reported about the text. */
NOT_FUZZED static void check_skim_agrees(const char *text, size_t len)
{
	static const struct doc_skim skim = { skim_any, NULL };
	struct arena a, b;
	struct doc_set whole, skimmed;
	int rc_whole, rc_skimmed;
	size_t i;

	arena_init(&a);
	arena_init(&b);
	rc_whole = doc_parse(&whole, &a, text, len, &doc_default_limits);
	rc_skimmed = doc_parse_skimming(&skimmed, &b, text, len, &doc_default_limits, &skim);
	if (rc_whole != rc_skimmed || whole.count != skimmed.count || whole.problem_count != skimmed.problem_count)
		abort();
	for (i = 0; i < whole.problem_count; i++) {
		const struct problem *p = &whole.problems[i], *q = &skimmed.problems[i];

		if (p->kind != q->kind || p->at.line != q->at.line || p->at.column != q->at.column ||
		    p->context.line != q->context.line || p->context.column != q->context.column ||
		    strcmp(p->message, q->message) != 0)
			abort();
	}
	for (i = 0; i < whole.count; i++)
		if ((whole.documents[i].root == NULL) != (skimmed.documents[i].root == NULL))
			abort();
	free(whole.documents);
	free(whole.problems);
	free(skimmed.documents);
	free(skimmed.problems);
	arena_release(&a);
	arena_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const namespaces[] = { "default", "kube-system", "a\033[31mred", "" };
	const char *starts[MAX_FILES];
	size_t lens[MAX_FILES], count, i;
	char *names[MAX_FILES];
	int fds[MAX_FILES];
	struct input_list inputs = { 0 };
	struct lint_options options;
	struct lint_result result;
	uint32_t hash = 2166136261u;
	size_t shown_lines;

	for (i = 0; i < size; i++)
		hash = (hash ^ data[i]) * 16777619u;
	memset(&options, 0, sizeof(options));
	options.default_namespace = namespaces[hash % 4];
	options.kube_minor = KUBE_OLDEST_MINOR + (int)((hash >> 2) % (KUBE_NEWEST_MINOR - KUBE_OLDEST_MINOR + 1));
	options.jobs = 1;
	options.keep_input_paths = (hash >> 3) & 1;

	count = split((const char *)data, size, starts, lens, names);
	for (i = 0; i < count; i++) {
		struct input *in;
		char read_path[64];
		bool context = strncmp(names[i], "ctx:", 4) == 0;
		bool error = strncmp(names[i], "err:", 4) == 0;

		fds[i] = -1;
		GROW(inputs.items, inputs.capacity, inputs.count + 1);
		in = &inputs.items[inputs.count++];
		if (error) {
			char *text = xstrndup(starts[i], lens[i]);

			input_make(in, input_list_paths(&inputs), names[i] + 4, NULL, text);
			free(text);
			in->in_context = context;
			in->walked = (hash >> 8) & 1;
			continue;
		}
		check_skim_agrees(starts[i], lens[i]);
		fds[i] = memfd_create("fuzz", MFD_CLOEXEC);
		if (fds[i] < 0 || (lens[i] && write(fds[i], starts[i], lens[i]) != (ssize_t)lens[i]))
			abort();
		snprintf(read_path, sizeof(read_path), "/proc/self/fd/%d", fds[i]);
		input_make(in, input_list_paths(&inputs), names[i] + (context ? 4 : 0), read_path, NULL);
		in->in_context = context;
		in->walked = (hash >> 8) & 1;
	}

	if (lint_run(&options, &inputs, &result) != 0)
		abort();
	check_result(&result, &shown_lines);
	run_reporters(&result, shown_lines, hash, options.keep_input_paths);
	lint_result_release(&result);

	input_list_release(&inputs);
	for (i = 0; i < count; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		free(names[i]);
	}
	return 0;
}
