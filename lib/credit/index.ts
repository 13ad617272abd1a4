// Public exports of credit scoring (lib/credit): what server actions, pages and the job worker import.

export * from './applicationsCsv';
export * from './calibration';
export * from './classifiers';
export * from './creditDatasets';
export * from './creditModel';
export * from './creditModels';
export * from './crossValidation';
export * from './decisions';
export * from './germanCodes';
export * from './metrics';
export * from './monitoring';
export * from './policy';
export * from './preprocess';
export * from './reasons';
export * from './sample';
export * from './scoring';
export * from './training';
export * from './types';
