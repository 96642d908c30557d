/* report_json.c: the whole result as one JSON object (format version 1). */
#include "report.h"

static void field(FILE *out, const char *name, const char *value, bool comma)
{
	fprintf(out, "\"%s\":", name);
	if (value) {
		fputc('"', out);
		write_json_string(out, value);
		fputc('"', out);
	} else {
		fputs("null", out);
	}
	if (comma)
		fputc(',', out);
}

int report_json(FILE *out, const struct lint_result *result, const struct report_options *options)
{
	size_t i, j;
	bool first = true;

	fputs("{\"version\":1,\"tool\":{", out);
	field(out, "name", "svclint", true);
	field(out, "version", options->version, false);
	fputs("},\"diagnostics\":[", out);
	for (i = 0; i < result->diags.count; i++) {
		const struct diag *d = result->diags.items[i];

		if (d->suppressed)
			continue;
		if (!first)
			fputc(',', out);
		first = false;
		fputc('{', out);
		field(out, "rule", d->rule, true);
		field(out, "severity", severity_name(d->severity), true);
		field(out, "file", d->file, true);
		fprintf(out, "\"line\":%u,\"column\":%u,", d->line, d->column);
		field(out, "message", d->message, true);
		if (d->template_source)
			field(out, "template", d->template_source, true);
		fputs("\"object\":", out);
		if (d->object.kind) {
			fputc('{', out);
			field(out, "apiVersion", d->object.api_version, true);
			field(out, "kind", d->object.kind, true);
			field(out, "namespace", d->object.namespace, true);
			field(out, "name", d->object.name, false);
			fputc('}', out);
		} else {
			fputs("null", out);
		}
		fputs(",\"related\":[", out);
		for (j = 0; j < d->related_count; j++) {
			const struct related *r = &d->related[j];

			fputs(j ? ",{" : "{", out);
			field(out, "file", r->file, true);
			fprintf(out, "\"line\":%u,\"column\":%u,", r->line, r->column);
			field(out, "message", r->message, false);
			fputc('}', out);
		}
		fputs("]}", out);
	}
	fprintf(out, "],\"summary\":{\"files\":%zu,\"documents\":%zu,\"objects\":%zu,"
		"\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu}}\n",
		result->files, result->documents, result->objects, result->counts[SEVERITY_ERROR],
		result->counts[SEVERITY_WARNING], result->counts[SEVERITY_INFO]);
	return ferror(out) ? -1 : 0;
}
