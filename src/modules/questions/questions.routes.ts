import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { HttpServer } from '../../platform/http/http-server.js';
import { requireActor } from '../../platform/http/request-actor.js';
import { glossaryDocument } from './domain/glossary.js';
import type { Answer, QuestionsService } from './questions.service.js';

const language = z.enum(['ko', 'en', 'fr']);
const askBody = z
  .object({
    question: z.string().min(1).max(500).describe('The question in Korean, English or French'),
    language: language.optional().describe("The asker's language (default: guessed from the question)"),
    asOf: z.string().date().optional().describe('The day "today" and "last week" refer to (default today)'),
    query: z
      .unknown()
      .optional()
      .describe(
        'A corrected understanding (the `query` of an earlier answer, edited); replaces the reading of `question`',
      ),
  })
  .strict();

export function registerQuestionsRoutes(app: HttpServer, questions: QuestionsService): void {
  app.post(
    '/api/v1/questions',
    {
      schema: {
        tags: ['questions'],
        summary:
          'Ask a question in plain language; answered with the understanding, the SQL, a table and a chart',
        description:
          'status is answered, clarify (with choices to pick) or refused (with the reason). Only officers, carriers ' +
          "and postal operators ask; a carrier's answers cover only its own parcels. Every question is audited.",
        body: askBody,
      },
    },
    async (request) => questions.ask(requireActor(request), request.body),
  );

  app.post(
    '/api/v1/questions/export',
    {
      schema: {
        tags: ['questions'],
        summary: "The answer to a question as CSV (column labels in the asker's language, raw values)",
        body: askBody,
      },
    },
    async (request, reply) => {
      const answer = await questions.ask(requireActor(request), request.body);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="answer.csv"')
        .send(answerAsCsv(answer));
    },
  );

  app.get(
    '/api/v1/questions/glossary',
    {
      schema: {
        tags: ['questions'],
        summary: 'The glossary: measures, dimensions, values, facts and question words in ko, en and fr',
      },
    },
    async (request) => {
      requireActor(request);
      return { entries: glossaryDocument() };
    },
  );

  app.get(
    '/api/v1/questions/favourites',
    { schema: { tags: ['questions'], summary: 'Your saved questions and those other officers shared' } },
    async (request) => ({ favourites: await questions.listFavourites(requireActor(request)) }),
  );

  app.post(
    '/api/v1/questions/favourites',
    {
      schema: {
        tags: ['questions'],
        summary:
          'Save an answered question (with its corrected understanding) as a favourite, optionally shared',
        body: z
          .object({
            name: z.string().trim().min(1).max(200),
            question: z.string().min(1).max(500),
            language,
            query: z.unknown(),
            shared: z.boolean().optional(),
          })
          .strict(),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await questions.saveFavourite(requireActor(request), request.body)),
  );

  app.delete(
    '/api/v1/questions/favourites/:id',
    {
      schema: {
        tags: ['questions'],
        summary: 'Delete one of your favourites',
        params: z.object({ id: z.coerce.number().int().positive() }),
      },
    },
    async (request, reply) => {
      await questions.deleteFavourite(requireActor(request), request.params.id);
      return reply.status(204).send();
    },
  );
}

/** CSV of an answer: a header of labels, then the raw values (a spreadsheet formats them itself). */
export function answerAsCsv(answer: Answer): string {
  const header = answer.columns.map((column) => column.label);
  const rows = answer.rows.map((row) => answer.columns.map((column) => row[column.name] ?? ''));
  return stringify([header, ...rows], { bom: true });
}
