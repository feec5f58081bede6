/*
 * transcript.h: a doctor-patient conversation ("[doctor] ...", "[patient]
 * ..." turns, as in ACI-Bench) turned into note-style sentences.
 *
 * Rules, no model: contractions are expanded ("i'm" -> "i am", "do n't" ->
 * "do not", "gon na" -> "going to"); fillers and discourse words are dropped
 * ("um", "okay", "you know", "kind of"); stuttered repeats collapse; first
 * person in patient turns and second person in clinician turns become the
 * third person ("i have" -> "she has", "your knee" -> "her knee"), with the
 * pronoun chosen from how the conversation refers to the patient ("the
 * patient" when it does not tell); commands to a voice assistant ("hey
 * dragon, ...") are dropped.  No word is invented beyond these rewrites:
 * every number, drug and finding is the speaker's own.
 *
 * Ownership and errors as sentences.h.  Thread-safe.
 */
#ifndef CS_TRANSCRIPT_H
#define CS_TRANSCRIPT_H

#include "sentences.h"

#include <stddef.h>

/* Does text look like a transcript (a line starting "[doctor]" or
 * "[patient]" near the top)? */
int cs_is_transcript(const char *text, size_t len);

/* Rewrite the turns of text[0..len) into sentences appended to l, each
 * tagged with its speaker and `section`. */
int cs_transcript_sentences(const char *text, size_t len, size_t section, cs_sentence_list *l);

#endif
