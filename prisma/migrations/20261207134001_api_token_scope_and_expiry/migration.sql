-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('read', 'annotate', 'full');

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "scope" "TokenScope" NOT NULL DEFAULT 'full';
