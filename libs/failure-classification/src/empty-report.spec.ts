import { isEmptyReportBody } from './empty-report';

const candidate = (bodyText: string) => {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    json = undefined;
  }
  return { bodyText, json };
};

describe('isEmptyReportBody', () => {
  it.each(['', '   ', '[]', '{}', '{"rows":[]}', '{"data":[],"total":0}', '{"items":[]}', '{"rows":[],"data":[]}'])(
    'says %j is empty',
    (body) => {
      expect(isEmptyReportBody(candidate(body))).toBe(true);
    },
  );

  it.each([
    '[1]',
    '{"rows":[{}]}',
    '{"total":0}',
    '{"rows":[],"data":[1]}',
    '{"data":{}}',
    '0',
    'null',
    '"text"',
    'id;value\n',
  ])('says %j is not empty', (body) => {
    expect(isEmptyReportBody(candidate(body))).toBe(false);
  });
});
