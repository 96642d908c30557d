/* report_junit.c: JUnit XML for CI test views: a suite per file, a failure per finding at error level. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every file reported on: the inputs (not context) and the files findings name, sorted, once each. */
static const char **file_names(const struct lint_result *result, size_t *count)
{
	size_t i, n = 0, cap = 0, out = 0;
	const char **names = NULL;

	if (result->inputs)
		for (i = 0; i < result->inputs->count; i++)
			/* Without lint_options.keep_input_paths, a file that left nothing has no path. */
			if (!result->inputs->items[i].in_context && result->inputs->items[i].path) {
				GROW(names, cap, n + 1);
				names[n++] = result->inputs->items[i].path;
			}
	for (i = 0; i < result->diags.count; i++)
		if (!result->diags.items[i]->suppressed) {
			GROW(names, cap, n + 1);
			names[n++] = result->diags.items[i]->file;
		}
	if (n > 1)
		qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++)
		if (out == 0 || strcmp(names[out - 1], names[i]) != 0)
			names[out++] = names[i];
	*count = out;
	return names;
}

/* The finding as text output shows it, notes included: the body of its failure or system-out. */
static void write_details(FILE *out, const struct diag *d)
{
	size_t j;
	char *line = xasprintf("%s:%u:%u: %s: %s%s%s%s [%s]", d->file, d->line, d->column, severity_name(d->severity),
			       d->message, d->template_source ? " (from template " : "",
			       d->template_source ? d->template_source : "", d->template_source ? ")" : "", d->rule);

	write_xml_string(out, line);
	free(line);
	for (j = 0; j < d->related_count; j++) {
		const struct related *r = &d->related[j];
		char *note = xasprintf("    %s:%u:%u: note: %s", r->file, r->line, r->column, r->message);

		fputc('\n', out);
		write_xml_string(out, note);
		free(note);
	}
}

static void write_case(FILE *out, const struct diag *d)
{
	const struct diag_object *o = &d->object;
	char *name = o->kind ? xasprintf("%s %u:%u %s %s/%s", d->rule, d->line, d->column, o->kind,
					 o->namespace ? o->namespace : "", o->name ? o->name : "") :
			       xasprintf("%s %u:%u", d->rule, d->line, d->column);

	fputs("    <testcase name=\"", out);
	write_xml_string(out, name);
	fputs("\" classname=\"", out);
	write_xml_string(out, d->file);
	fputs("\" file=\"", out);
	write_xml_string(out, d->file);
	fprintf(out, "\" line=\"%u\">\n", d->line);
	if (d->severity == SEVERITY_ERROR) {
		fputs("      <failure type=\"", out);
		write_xml_string(out, d->rule);
		fputs("\" message=\"", out);
		write_xml_string(out, d->message);
		fputs("\">", out);
		write_details(out, d);
		fputs("</failure>\n", out);
	} else {
		fputs("      <system-out>", out);
		write_details(out, d);
		fputs("</system-out>\n", out);
	}
	fputs("    </testcase>\n", out);
	free(name);
}

/* The findings of file, which start at or after *at (findings are sorted by file, as the names are):
 * where they start, how many are reported and how many of those fail; *at moves past them. */
static size_t findings_of(const struct lint_result *result, size_t *at, const char *file, size_t *here,
			  size_t *failed)
{
	size_t i = *at, start;

	while (i < result->diags.count && strcmp(result->diags.items[i]->file, file) < 0)
		i++;
	start = i;
	*here = *failed = 0;
	for (; i < result->diags.count && strcmp(result->diags.items[i]->file, file) == 0; i++)
		if (!result->diags.items[i]->suppressed) {
			(*here)++;
			*failed += result->diags.items[i]->severity == SEVERITY_ERROR;
		}
	*at = i;
	return start;
}

int report_junit(FILE *out, const struct lint_result *result, const struct report_options *options)
{
	size_t file_count, f, i = 0, tests = 0, failures = 0;
	const char **files = file_names(result, &file_count);

	(void)options;

	/* Totals first: a file without findings is one passing test.  One walk over both sorted lists: a
	 * look through every finding per file made a large repository's report quadratic. */
	for (f = 0; f < file_count; f++) {
		size_t here, failed;

		findings_of(result, &i, files[f], &here, &failed);
		tests += here ? here : 1;
		failures += failed;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"svclint\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", tests, failures);
	i = 0;
	for (f = 0; f < file_count; f++) {
		size_t here, failed, k, start = findings_of(result, &i, files[f], &here, &failed);

		fputs("  <testsuite name=\"", out);
		write_xml_string(out, files[f]);
		fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", here ? here : 1, failed);
		if (!here) {
			fputs("    <testcase name=\"svclint\" classname=\"", out);
			write_xml_string(out, files[f]);
			fputs("\"/>\n", out);
		}
		for (k = start; k < i; k++)
			if (!result->diags.items[k]->suppressed)
				write_case(out, result->diags.items[k]);
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	free(files);
	return ferror(out) ? -1 : 0;
}
