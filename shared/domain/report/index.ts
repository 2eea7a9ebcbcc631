// The report builders (pure): access report (HTML, JSON, CSV) and the result summary (deletion, opt-out, correction, limit).
export * from './ccpa-categories';
export * from './field-display';
export * from './report-words';
export * from './access-report';
export * from './disclosure-breakdown';
export * from './report-html';
export * from './report-csv';
export * from './report-json';
export * from './result-summary';
