/* report_text.c: FILE:LINE:COL: SEVERITY: MESSAGE [RULE], with indented note lines. */
#include "report.h"

static const char *severity_color(enum severity severity)
{
	switch (severity) {
	case SEVERITY_ERROR: return "\033[1;31m";
	case SEVERITY_WARNING: return "\033[1;35m";
	default: return "\033[1;36m";
	}
}

int report_text(FILE *out, const struct lint_result *result, const struct report_options *options)
{
	size_t i, j;

	for (i = 0; i < result->diags.count; i++) {
		const struct diag *d = result->diags.items[i];

		if (d->suppressed)
			continue;
		if (options->color)
			fputs("\033[1m", out);
		write_sanitized(out, d->file);
		fprintf(out, ":%u:%u:", d->line, d->column);
		if (options->color)
			fprintf(out, " %s%s:\033[0m ", severity_color(d->severity), severity_name(d->severity));
		else
			fprintf(out, " %s: ", severity_name(d->severity));
		write_sanitized(out, d->message);
		if (d->template_source) {
			fputs(" (from template ", out);
			write_sanitized(out, d->template_source);
			fputc(')', out);
		}
		fprintf(out, " [%s]\n", d->rule);
		for (j = 0; j < d->related_count; j++) {
			const struct related *r = &d->related[j];

			fputs("    ", out);
			write_sanitized(out, r->file);
			fprintf(out, ":%u:%u: note: ", r->line, r->column);
			write_sanitized(out, r->message);
			fputc('\n', out);
		}
	}
	return ferror(out) ? -1 : 0;
}
