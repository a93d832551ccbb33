// Calendar dates as the people involved lived them: the date part of an ISO-8601 timestamp in the offset
// it was written with (a claim at 2025-03-01T07:30+08:00 happened on 1 March in Jiaozhou), as core does.
export const calendarDateOf = (timestamp: string): string => timestamp.slice(0, 10);
export const monthOf = (date: string): string => date.slice(0, 7);
