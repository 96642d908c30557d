/* report_github.c: GitHub Actions workflow commands, one annotation per finding:
 *   ::error file=F,line=L,col=C,title=RULE::MESSAGE
 * escaped as the runner's toolkit does: % \r \n in the message, and : , too in properties. */
#include "report.h"

/* property: a value before "::", where ':' and ',' separate too. */
static void write_escaped(FILE *out, const char *text, bool property)
{
	const unsigned char *s = (const unsigned char *)text;

	while (*s) {
		size_t n = utf8_length(s);

		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (property && *s == ':')
			fputs("%3A", out);
		else if (property && *s == ',')
			fputs("%2C", out);
		else if (n == 1 && *s >= 0x20 && *s != 0x7F)
			fputc(*s, out);
		else if (n > 1) {
			fwrite(s, 1, n, out);
			s += n;
			continue;
		} else {
			/* No terminal escape or control reaches the log raw. */
			fprintf(out, "\\x%02X", *s);
		}
		s++;
	}
}

static const char *command(enum severity severity)
{
	switch (severity) {
	case SEVERITY_ERROR: return "error";
	case SEVERITY_WARNING: return "warning";
	default: return "notice";
	}
}

int report_github(FILE *out, const struct lint_result *result, const struct report_options *options)
{
	size_t i, j;

	(void)options;
	for (i = 0; i < result->diags.count; i++) {
		const struct diag *d = result->diags.items[i];

		if (d->suppressed)
			continue;
		fprintf(out, "::%s file=", command(d->severity));
		write_escaped(out, d->file, true);
		fprintf(out, ",line=%u,col=%u,title=", d->line, d->column);
		write_escaped(out, d->rule, true);
		fputs("::", out);
		write_escaped(out, d->message, false);
		if (d->template_source) {
			fputs(" (from template ", out);
			write_escaped(out, d->template_source, false);
			fputc(')', out);
		}
		for (j = 0; j < d->related_count; j++) {
			const struct related *r = &d->related[j];

			fputs("%0A", out);
			write_escaped(out, r->file, false);
			fprintf(out, ":%u:%u: note: ", r->line, r->column);
			write_escaped(out, r->message, false);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}
