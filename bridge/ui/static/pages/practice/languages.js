// The four languages a problem can be solved in, as the API names them and as a learner reads them.
export const LANGUAGES = [
  ['python', 'Python'], ['javascript', 'JavaScript'], ['java', 'Java'], ['cpp', 'C++'],
];
export const DIFFICULTIES = ['easy', 'medium', 'hard'];

export const languageName = (id) => (LANGUAGES.find(([key]) => key === id) || [id, id])[1];
