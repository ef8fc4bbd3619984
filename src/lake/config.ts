import { z } from 'zod';

export const lakeConfig = z
  .strictObject({
    path: z.string().min(1).default('lake').meta({ description: 'Folder of the Parquet lake. Relative paths start at the working directory.' }),
    rowGroupRows: z
      .number()
      .int()
      .min(1024)
      .default(122_880)
      .meta({ description: 'Rows per Parquet row group. Larger groups compress better; smaller ones let readers skip more.' }),
  })
  .meta({ description: 'Where canonical rows land as Parquet, in <path>/<type>/y=YYYY/m=M/d=D/h=H/.' });

export type LakeConfig = z.infer<typeof lakeConfig>;
