-- AlterTable
ALTER TABLE "responses" ADD COLUMN     "style" JSONB;
