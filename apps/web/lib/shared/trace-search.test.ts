import { describe, expect, it } from 'vitest';
import { parseTags, readSearchForm, toTraceSearch } from './trace-search';

describe('parseTags', () => {
  it.each([
    ['', {}],
    ['user.name=alice', { 'user.name': 'alice' }],
    ['  user.name=alice   http.status_code=500 ', { 'user.name': 'alice', 'http.status_code': '500' }],
    ['error.message="not found" a=b', { 'error.message': 'not found', a: 'b' }],
    ['q="say \\"hi\\""', { q: 'say "hi"' }],
    ['empty= x=1', { empty: '', x: '1' }],
    ['a=1 a=2', { a: '2' }],
    ['html="<img src=x>"', { html: '<img src=x>' }],
  ])('reads %j', (input, tags) => {
    expect(parseTags(input)).toEqual({ ok: true, tags });
  });

  it.each([
    ['alice', /key=value/],
    ['=alice', /key=value/],
    ['a="open', /closing quote/],
  ])('refuses %j', (input, error) => {
    const result = parseTags(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toMatch(error);
  });
});

describe('toTraceSearch', () => {
  it('applies the defaults and leaves empty fields out', () => {
    expect(toTraceSearch(readSearchForm({ service: 'frontend-api' }))).toEqual({
      ok: true,
      search: { service: 'frontend-api', tags: {}, lookbackUs: 3_600_000_000, limit: 20 },
    });
  });

  it('reads every field', () => {
    const form = readSearchForm({
      service: ' web-ui ',
      operation: 'process click',
      tags: 'user.name=alice',
      minDuration: '1.5ms',
      maxDuration: '2s',
      lookback: '2d',
      limit: ['50', 'ignored'],
    });
    expect(toTraceSearch(form)).toEqual({
      ok: true,
      search: {
        service: 'web-ui',
        operation: 'process click',
        tags: { 'user.name': 'alice' },
        minDuration: '1.5ms',
        maxDuration: '2s',
        lookbackUs: 172_800_000_000,
        limit: 50,
      },
    });
  });

  it('names every problem at once', () => {
    const result = toTraceSearch(
      readSearchForm({ tags: 'oops', minDuration: '10', maxDuration: '1 s', lookback: '3w', limit: '1001' }),
    );
    expect(result.ok ? [] : result.errors).toEqual([
      'Choose a service.',
      expect.stringMatching(/key=value/),
      'Min duration must be a duration such as 250ms, 1.5s or 2m (got "10").',
      'Max duration must be a duration such as 250ms, 1.5s or 2m (got "1 s").',
      expect.stringMatching(/^Lookback must be one of 5m, 15m, 1h/),
      'Limit must be a whole number from 1 to 1000.',
    ]);
  });
});
