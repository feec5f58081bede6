/*
 * commands.h: the `clinsum` subcommands.  Each takes the arguments after its
 * own name (argv[0] is the subcommand) and returns the process exit status:
 * 0 success, 1 bad input or failure, 2 usage error.  Errors go to stderr as
 * one line "clinsum: FILE: reason" and never contain document text.
 */
#ifndef CS_COMMANDS_H
#define CS_COMMANDS_H

int cmd_parse(int argc, char **argv);
int cmd_summarize(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_eval_summary(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_tokenize(int argc, char **argv);
int cmd_redact(int argc, char **argv);
int cmd_eval_redact(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Print "clinsum: <file>: <reason>" for a cs_err, the one error format. */
void cs_cli_error(const char *file, int err);

#endif
